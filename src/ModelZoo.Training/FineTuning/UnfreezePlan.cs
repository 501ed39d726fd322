namespace ModelZoo.Training.FineTuning;

/// <summary>Where a backbone is split for fine-tuning and what is trained behind the split.</summary>
/// <param name="CutTensor">The tensor the graph is split at: the frozen prefix ends here, its values are cached per image.</param>
/// <param name="ActivationShape">Shape of <paramref name="CutTensor"/> for one image (batch axis left out).</param>
/// <param name="WeightLayers">Names of the weight layers (Conv, Gemm, MatMul with constant weights) in the trained suffix, in graph order.</param>
/// <param name="Parameters">Every trained tensor of the suffix (weights, biases, batch-normalisation scale and shift).</param>
/// <param name="SuffixOps">Op types of the suffix's nodes with their counts.</param>
public sealed record UnfreezePlan(string CutTensor, IReadOnlyList<long> ActivationShape, IReadOnlyList<string> WeightLayers,
    IReadOnlyList<TrainableTensor> Parameters, IReadOnlyDictionary<string, int> SuffixOps)
{
    /// <summary>Values per image at the cut (the size of one cached activation).</summary>
    public long ActivationSize => ActivationShape.Aggregate(1L, (n, d) => n * d);

    /// <summary>Number of trained scalars in the suffix (the head comes on top).</summary>
    public long ParameterCount => Parameters.Sum(p => p.Length);
}
