namespace ModelZoo.Onnx;

/// <summary>
/// A model cut below its classifier: it maps the original input to one pooled feature vector per image.
/// Made by <see cref="HeadlessCutter.Cut(OnnxModel, string?)"/>.
/// </summary>
/// <param name="Model">The headless model: the original input(s), one output <paramref name="OutputName"/>
/// of shape <c>[batch, FeatureSize]</c> in float32, batch dimension symbolic.</param>
/// <param name="FeatureTensor">The tensor of the original graph the cut was made at. For a quantized (8-bit) tensor the
/// headless model dequantizes it with the scale and zero point the graph records.</param>
/// <param name="FeatureSize">Length of one feature vector.</param>
/// <param name="OutputName">The output's name; always <see cref="HeadlessCutter.FeaturesOutput"/>.</param>
public sealed record HeadlessModel(OnnxModel Model, string FeatureTensor, int FeatureSize, string OutputName)
{
    /// <summary>Whether <see cref="FeatureTensor"/> was detected, named by the caller or declared by the card.</summary>
    public CutPointSource Source { get; init; } = CutPointSource.Detected;
}
