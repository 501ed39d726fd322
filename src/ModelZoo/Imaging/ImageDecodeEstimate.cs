namespace ModelZoo.Imaging;

/// <summary>
/// What decoding an image will take, read from its header by <see cref="ImageDecoder.Measure"/> before any pixel is
/// decoded: its size, the size it will be decoded at under <see cref="ImageDecodeOptions.MaxDecodedPixels"/>, and the
/// most memory the decode holds at once. Sizes are upright (EXIF orientation applied when the options apply it).
/// </summary>
/// <param name="Width">Width of the image as encoded (upright).</param>
/// <param name="Height">Height of the image as encoded (upright).</param>
/// <param name="DecodedWidth">Width of the decoded <see cref="RgbImage"/>.</param>
/// <param name="DecodedHeight">Height of the decoded <see cref="RgbImage"/>.</param>
/// <param name="PeakBytes">Most bytes of pixel memory the decode holds at once, the returned image included.</param>
public sealed record ImageDecodeEstimate(int Width, int Height, int DecodedWidth, int DecodedHeight, long PeakBytes)
{
    /// <summary>Whether the image is decoded smaller than it is encoded.</summary>
    public bool IsReduced => DecodedWidth != Width || DecodedHeight != Height;

    /// <summary>Bytes of the decoded RGB image.</summary>
    public long DecodedBytes => 3L * DecodedWidth * DecodedHeight;
}
