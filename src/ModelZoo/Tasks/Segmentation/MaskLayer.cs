using SkiaSharp;

namespace ModelZoo.Tasks;

/// <summary>Masks tinted over the image (half opacity where a mask is full), each with a <c>label NN%</c> coverage tag
/// at the top of the image.</summary>
/// <param name="masks">The masks, each the image's size.</param>
public sealed class MaskLayer(IReadOnlyList<SegmentationMask> masks) : IAnnotationLayer
{
    /// <inheritdoc />
    public void Tint(SKBitmap bitmap)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        for (var i = 0; i < masks.Count; i++)
        {
            Tint(bitmap, masks[i], AnnotationStyle.Color(i * 7 + 11));
        }
    }

    /// <inheritdoc />
    public void Draw(SKCanvas canvas, AnnotationStyle style)
    {
    }

    /// <inheritdoc />
    public IEnumerable<AnnotationTag> Tags(AnnotationStyle style)
    {
        ArgumentNullException.ThrowIfNull(style);
        var anchor = new BoundingBox(0, style.TagHeight, style.Width, style.Height - style.TagHeight);
        return masks.Select(m => new AnnotationTag($"{m.Label} {AnnotationStyle.Percent(m.Coverage)}", m.Coverage, anchor, AnnotationStyle.Color(11)));
    }

    private static void Tint(SKBitmap bitmap, SegmentationMask mask, SKColor color)
    {
        if (mask.Width != bitmap.Width || mask.Height != bitmap.Height)
        {
            throw new ArgumentException($"Mask '{mask.Label}' is {mask.Width}x{mask.Height} but the image is {bitmap.Width}x{bitmap.Height}.", nameof(mask));
        }
        var pixels = bitmap.GetPixelSpan();
        for (var y = 0; y < mask.Height; y++)
        {
            var row = pixels.Slice(y * bitmap.RowBytes, 4 * mask.Width);
            for (var x = 0; x < mask.Width; x++)
            {
                var a = mask.Alpha[y * mask.Width + x] / 510f;
                if (a <= 0f) continue;
                var p = row.Slice(4 * x, 3);
                p[0] = (byte)(p[0] + (color.Red - p[0]) * a);
                p[1] = (byte)(p[1] + (color.Green - p[1]) * a);
                p[2] = (byte)(p[2] + (color.Blue - p[2]) * a);
            }
        }
        bitmap.NotifyPixelsChanged();
    }
}
