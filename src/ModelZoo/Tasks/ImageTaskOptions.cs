namespace ModelZoo.Tasks;

/// <summary>Options shared by the image task pipelines.</summary>
public sealed record ImageTaskOptions
{
    /// <summary>ONNX Runtime session settings (threads, provider, dynamic batch).</summary>
    public SessionSettings Session { get; init; } = new();

    /// <summary>Images per inference call.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Decoder limits.</summary>
    public ImageDecodeOptions? Decode { get; init; }

    /// <summary>
    /// Whether image files run through a pipeline's file loop are decoded smaller by the codec's own scaling (JPEG's DCT
    /// scaling, in eighths) when the model input is much smaller than the photo: at the smallest such size that the card's
    /// resize still shrinks, so a 12-megapixel photo for a 224-pixel model is never decoded at full size. Results stay in
    /// the file's pixels. Files are decoded at full size when a caller takes the decoded image (to draw on it) and for
    /// tasks that read the image's pixels after inference (face attributes and embeddings, super-resolution). Default true;
    /// false decodes every file at full size, as reference pipelines do.
    /// </summary>
    public bool ScaledDecode { get; init; } = true;
}
