namespace ModelZoo.Imaging;

/// <summary>Limits and choices for <see cref="ImageDecoder"/>. Immutable; share one instance freely.</summary>
public sealed record ImageDecodeOptions
{
    private readonly long _maxPixels = 100_000_000;

    /// <summary>Default options: 100 megapixels at most, orientation applied, truncated data rejected.</summary>
    public static ImageDecodeOptions Default { get; } = new();

    /// <summary>
    /// Largest width × height accepted. It is checked against the header before any pixel memory is
    /// allocated, so a tiny file that declares a huge image fails fast with <c>image-too-large</c>.
    /// </summary>
    public long MaxPixels
    {
        get => _maxPixels;
        init => _maxPixels = value > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxPixels), value, "MaxPixels must be positive.");
    }

    /// <summary>
    /// Whether an image whose data ends early is returned anyway (rows the data did not reach are
    /// filled by the codec, and <see cref="RgbImage.IsTruncated"/> is set). Off by default: a silently
    /// half-grey photo skews predictions, so a truncated file is an <c>image-truncated</c> error, as in PIL.
    /// </summary>
    public bool AllowTruncated { get; init; }

    private readonly long? _maxDecodedPixels;

    /// <summary>
    /// Largest width × height an image is decoded at; a larger one (up to <see cref="MaxPixels"/>) is decoded smaller,
    /// keeping its aspect ratio: by the codec's own scaling where it has one (JPEG's DCT scaling), else with a box filter,
    /// row by row where the codec can decode scanlines and from a full decode into native memory, freed at once, where it
    /// cannot (PNG). Null (the default) decodes every image at its full size.
    /// <see cref="ImageDecoder.Measure"/> tells the decoded size and memory before decoding.
    /// </summary>
    public long? MaxDecodedPixels
    {
        get => _maxDecodedPixels;
        init => _maxDecodedPixels = value is null or > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxDecodedPixels), value, "MaxDecodedPixels must be positive.");
    }

    /// <summary>Whether the EXIF orientation is applied so that the pixels come out upright (default true).</summary>
    public bool ApplyOrientation { get; init; } = true;
}
