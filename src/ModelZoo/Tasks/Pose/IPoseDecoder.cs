namespace ModelZoo.Tasks;

/// <summary>Turns one image's raw pose-model outputs into poses in original-image pixels.</summary>
internal interface IPoseDecoder
{
    List<Pose> Decode(ModelOutputs outputs, float minScore);
}
