namespace ModelZoo.Tasks;

/// <summary>SSR-Net gender (human-models <c>gender-ssrnet-imdb</c>): one output value in 0–1, 1 meaning male.</summary>
internal sealed class SsrNetGenderDecoder : IFaceAttributeDecoder
{
    public FaceAttributeValues Decode(ModelOutputs outputs, IReadOnlyList<string>? labels) =>
        FaceAttributeValues.FromMaleProbability(Math.Clamp(outputs.Scalar("ssrnet-gender"), 0f, 1f));
}
