namespace ModelZoo.Tasks;

/// <summary>Turns one image's raw face-detector outputs into candidates in model-input pixels.</summary>
internal interface IFaceDecoder
{
    List<FaceCandidate> Decode(ModelOutputs outputs, float scoreThreshold);
}
