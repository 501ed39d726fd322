namespace ModelZoo.Quantization;

/// <summary>How far one node's output in the int8 model strays from the float model's, on the same images.</summary>
/// <param name="Node">The node's name (its output's name when the node has none).</param>
/// <param name="OpType">The node's operator.</param>
/// <param name="Tensor">The compared output, as the int8 model's next nodes read it (after its QuantizeLinear/
/// DequantizeLinear pair, when it has one).</param>
/// <param name="RelativeError">‖int8 − fp32‖ / ‖fp32‖ of that output over the compared images.</param>
/// <param name="InputError">The largest relative error among the node's compared inputs (0 when none is compared):
/// what the node received.</param>
/// <param name="Cosine">Cosine between the int8 and fp32 output over the compared images.</param>
/// <param name="MaxAbsError">The largest absolute difference of one element.</param>
/// <param name="FloatRange">The float output's range over the compared images, as (low, high).</param>
public sealed record NodeDivergence(string Node, string OpType, string Tensor, double RelativeError, double InputError, double Cosine,
    double MaxAbsError, (double Low, double High) FloatRange)
{
    /// <summary>The error this node adds to what it received: where the int8 model starts to stray.</summary>
    public double AddedError => RelativeError - InputError;
}
