namespace ModelZoo.Imaging;

/// <summary>
/// An image could not be decoded. <see cref="ZooException.Code"/> says why, so that callers (a batch
/// job, an HTTP endpoint) can skip or report the file without parsing the message.
/// </summary>
public sealed class ImageDecodeException : ZooException
{
    /// <summary>The input holds no bytes at all.</summary>
    public const string EmptyCode = "image-empty";
    /// <summary>The data ends before the image is complete (a cut download or copy).</summary>
    public const string TruncatedCode = "image-truncated";
    /// <summary>The data starts like a known format but is damaged.</summary>
    public const string CorruptCode = "image-corrupt";
    /// <summary>The data is not in a format the decoder reads (JPEG, PNG, WebP, BMP, GIF).</summary>
    public const string UnsupportedCode = "image-unsupported";
    /// <summary>The header declares more pixels than <see cref="ImageDecodeOptions.MaxPixels"/> allows.</summary>
    public const string TooLargeCode = "image-too-large";
    /// <summary>The file does not exist or cannot be read.</summary>
    public const string NotFoundCode = "image-not-found";

    /// <summary>Creates a decode error with one of the codes above and a message that ends with what to do next.</summary>
    public ImageDecodeException(string code, string message, string? imageName = null, Exception? inner = null)
        : base(code, message, inner)
    {
        ImageName = imageName;
    }

    /// <summary>The file name or label of the image, when the caller gave one.</summary>
    public string? ImageName { get; }
}
