namespace ModelZoo.Tasks;

/// <summary>The segmentation decoders by the names cards use in <c>output.decoder</c>.</summary>
internal static class SegmentationDecoders
{
    public static DecoderRegistry<ISegmentationDecoder> Registry { get; } = new("image segmentation",
    [
        ("selfie", new PersonMaskDecoder()),
        ("meet", new PersonMaskDecoder()),
        ("semantic-argmax", new SemanticArgmaxDecoder()),
    ]);
}
