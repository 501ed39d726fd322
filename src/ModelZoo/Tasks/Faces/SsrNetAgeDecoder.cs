namespace ModelZoo.Tasks;

/// <summary>SSR-Net age (human-models <c>age</c>): one output value, the age in years.</summary>
internal sealed class SsrNetAgeDecoder : IFaceAttributeDecoder
{
    public FaceAttributeValues Decode(ModelOutputs outputs, IReadOnlyList<string>? labels) =>
        new(Age: outputs.Scalar("ssrnet-age"));
}
