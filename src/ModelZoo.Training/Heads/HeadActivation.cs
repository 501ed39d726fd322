namespace ModelZoo.Training.Heads;

/// <summary>Activation applied after a <see cref="HeadLayer"/>'s affine map.</summary>
public enum HeadActivation
{
    /// <summary>No activation (the layer's output is used as is).</summary>
    None,

    /// <summary><c>max(0, x)</c>; ONNX <c>Relu</c>.</summary>
    Relu,
}
