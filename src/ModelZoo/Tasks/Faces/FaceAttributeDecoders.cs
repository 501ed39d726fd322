namespace ModelZoo.Tasks;

/// <summary>The face-attribute decoders by the names cards use in <c>output.decoder</c>.</summary>
internal static class FaceAttributeDecoders
{
    public static DecoderRegistry<IFaceAttributeDecoder> Registry { get; } = new("face attributes",
    [
        ("gear", new GearDecoder()),
        ("ssrnet-age", new SsrNetAgeDecoder()),
        ("ssrnet-gender", new SsrNetGenderDecoder()),
        ("gender", new GenderDecoder()),
        ("emotion", new EmotionDecoder()),
    ]);

    /// <summary>The single value of a model whose output is one number per image.</summary>
    public static float Scalar(ModelOutputs outputs, string decoder)
    {
        var tensor = outputs.Primary;
        return tensor.ElementCount == 1 ? ModelOutputs.Floats(tensor)[0] : throw outputs.ShapeError(decoder, "one output with a single value, e.g. [1, 1]");
    }
}
