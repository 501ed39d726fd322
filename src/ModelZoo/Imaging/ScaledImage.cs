namespace ModelZoo.Imaging;

/// <summary>An image decoded, possibly at a reduced size, by <see cref="ImageDecoder.DecodeScaled(string, ImageDecodeOptions?, Func{int, int, double}?)"/>: the pixels, the file's upright
/// size, and the decoded pixels per file pixel on each axis (1 when decoded at full size).</summary>
/// <param name="Image">The decoded, upright pixels.</param>
/// <param name="SourceWidth">The file's upright width.</param>
/// <param name="SourceHeight">The file's upright height.</param>
/// <param name="ScaleX">Decoded pixels per file pixel along x.</param>
/// <param name="ScaleY">Decoded pixels per file pixel along y.</param>
public readonly record struct ScaledImage(RgbImage Image, int SourceWidth, int SourceHeight, double ScaleX, double ScaleY)
{
    /// <summary>File pixels per decoded pixel on each axis: what geometry found on the decoded image is multiplied by to
    /// land in the file's pixels.</summary>
    public (float X, float Y) SourcePerDecoded => ((float)(1 / ScaleX), (float)(1 / ScaleY));

    /// <summary>Turns a transform from the decoded image into one from the file's pixels, so that what a model predicts
    /// maps back onto the file as if it had been decoded at full size.</summary>
    public ImageTransform ToSource(ImageTransform decoded) => new(
        (float)(decoded.ScaleX * ScaleX), (float)(decoded.ScaleY * ScaleY), decoded.OffsetX, decoded.OffsetY, SourceWidth, SourceHeight);
}
