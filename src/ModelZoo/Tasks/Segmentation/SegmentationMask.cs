using SkiaSharp;

namespace ModelZoo.Tasks;

/// <summary>
/// A per-pixel mask the size of the original image: <see cref="Alpha"/> holds one byte per pixel, row-major,
/// 255 where the class is present and 0 where it is not (values between on soft edges).
/// </summary>
/// <param name="Label">What the mask covers, e.g. <c>person</c>.</param>
/// <param name="Width">Width in pixels (the original image's).</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Alpha">Coverage per pixel, <c>Width × Height</c> bytes.</param>
/// <param name="Coverage">Fraction of the image's pixels whose probability reached the threshold, 0–1.</param>
public sealed record SegmentationMask(string Label, int Width, int Height, byte[] Alpha, float Coverage)
{
    /// <summary>Where the mask was saved as a PNG (the CLI's <c>--save</c>), or null.</summary>
    public string? SavedPath { get; init; }

    /// <summary>The mask as an 8-bit greyscale PNG (white = covered).</summary>
    public byte[] EncodePng()
    {
        var info = new SKImageInfo(Width, Height, SKColorType.Gray8, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        var pixels = bitmap.GetPixelSpan();
        for (var y = 0; y < Height; y++)
        {
            Alpha.AsSpan(y * Width, Width).CopyTo(pixels.Slice(y * bitmap.RowBytes, Width));
        }
        bitmap.NotifyPixelsChanged();
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Writes <see cref="EncodePng"/> to <paramref name="path"/> (through a temporary file, so a reader never sees half a PNG).</summary>
    public void SavePng(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        File.WriteAllBytes(temp, EncodePng());
        File.Move(temp, full, overwrite: true);
    }
}
