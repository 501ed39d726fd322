namespace ModelZoo.Tasks;

/// <summary>The face-detection decoders by the names cards use in <c>output.decoder</c>.</summary>
internal static class FaceDecoders
{
    public static DecoderRegistry<IFaceDecoder> Registry { get; } = new("face detection",
    [
        ("blazeface", new BlazeFaceDecoder()),
        ("ultraface", new UltraFaceDecoder()),
    ]);
}
