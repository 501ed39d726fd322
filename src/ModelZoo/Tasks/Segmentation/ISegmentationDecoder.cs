namespace ModelZoo.Tasks;

/// <summary>Turns one image's raw segmentation outputs into per-class probability maps.</summary>
internal interface ISegmentationDecoder
{
    List<ProbabilityMap> Decode(ModelOutputs outputs);
}
