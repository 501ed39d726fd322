namespace ModelZoo.Tasks;

/// <summary>Turns one image's raw segmentation outputs into per-class probability maps.</summary>
internal interface ISegmentationDecoder
{
    /// <summary>Maps for the classes present in one image's outputs.</summary>
    /// <param name="outputs">The model's outputs for one image.</param>
    /// <param name="labels">The card's class names, or null when it has none.</param>
    /// <param name="labelOffset">The card's label offset (raw index of <c>labels[0]</c>; indices below it are background).</param>
    List<ProbabilityMap> Decode(ModelOutputs outputs, IReadOnlyList<string>? labels, int labelOffset);
}
