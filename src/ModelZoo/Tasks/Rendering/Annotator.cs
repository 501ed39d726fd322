using SkiaSharp;

namespace ModelZoo.Tasks;

/// <summary>
/// Draws task results over an image with SkiaSharp through each task's <see cref="IAnnotationLayer"/>: pixel passes
/// (mask tints) first, then strokes, then every layer's label tags. Line widths and text scale with the image. Results are drawn weakest
/// first, so the most confident box and label end on top, and label tags are placed so that they do not cover one
/// another (<see cref="PlaceLabels"/>). Stateless.
/// </summary>
public static class Annotator
{
    /// <summary>A new bitmap of <paramref name="image"/> with the annotations drawn; the caller owns and disposes it.</summary>
    public static SKBitmap Render(RgbImage image, Annotations annotations)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(annotations);
        var bitmap = image.ToBitmap();
        try
        {
            var layers = annotations.AllLayers;
            foreach (var layer in layers)
            {
                layer.Tint(bitmap);
            }
            using var canvas = new SKCanvas(bitmap);
            var style = new AnnotationStyle(image.Width, image.Height);
            foreach (var layer in layers)
            {
                layer.Draw(canvas, style);
            }
            // Tags after every box, so that no box line crosses a tag, weakest first so the strongest ends on top.
            foreach (var (placement, color) in Layout(style, layers))
            {
                DrawLabel(canvas, placement, color, style.TextSize);
            }
            canvas.Flush();
            return bitmap;
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Where the label tags of <paramref name="annotations"/> go on an image of <paramref name="width"/> ×
    /// <paramref name="height"/>, in drawing order (ascending score: the strongest is drawn last, on top). Tags are
    /// placed strongest first, each at the first spot that stays in the image and covers no tag placed before it:
    /// above its box, inside its top, below it, inside its bottom, then further down or up in steps of one tag.
    /// Empty when no font is available (tags are then not drawn).
    /// </summary>
    public static IReadOnlyList<LabelPlacement> PlaceLabels(int width, int height, Annotations annotations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentNullException.ThrowIfNull(annotations);
        return Layout(new AnnotationStyle(width, height), annotations.AllLayers).Select(l => l.Placement).ToList();
    }

    private static List<(LabelPlacement Placement, SKColor Color)> Layout(AnnotationStyle style, IReadOnlyList<IAnnotationLayer> layers)
    {
        var typeface = AnnotationFont.Typeface;
        if (typeface is null)
        {
            return [];
        }
        using var font = new SKFont(typeface, style.TextSize);
        var pad = style.TagPadding;
        var tagHeight = style.TagHeight;
        int width = style.Width, height = style.Height;
        var items = layers.SelectMany(l => l.Tags(style)).ToList();
        var placed = new List<(LabelPlacement Placement, SKColor Color)>(items.Count);
        // Strongest first: it gets the best spot; ties keep the results' order.
        foreach (var item in items.Select((item, index) => (item, index)).OrderByDescending(p => p.item.Score).ThenBy(p => p.index).Select(p => p.item))
        {
            var tagWidth = font.MeasureText(item.Text) + 2 * pad;
            var area = Place(item.Anchor, tagWidth, tagHeight, width, height, placed.Select(p => p.Placement.Area).ToList());
            placed.Add((new LabelPlacement(item.Text, item.Score, area), item.Color));
        }
        placed.Reverse();
        return placed;
    }

    private static BoundingBox Place(BoundingBox anchor, float tagWidth, float tagHeight, int width, int height, List<BoundingBox> taken)
    {
        var x = Math.Clamp(anchor.X, 0f, Math.Max(0f, width - tagWidth));
        var candidates = new List<float> { anchor.Y - tagHeight, anchor.Y, anchor.Bottom, anchor.Bottom - tagHeight };
        // Then step through the image from the box downwards, then upwards, one tag height at a time.
        for (var y = anchor.Y + tagHeight; y + tagHeight <= height; y += tagHeight)
        {
            candidates.Add(y);
        }
        for (var y = anchor.Y - 2 * tagHeight; y >= 0; y -= tagHeight)
        {
            candidates.Add(y);
        }
        BoundingBox? fallback = null;
        foreach (var y in candidates)
        {
            if (y < 0 || y + tagHeight > height)
            {
                continue;
            }
            var area = new BoundingBox(x, y, tagWidth, tagHeight);
            fallback ??= area;
            if (!taken.Any(t => Overlaps(t, area)))
            {
                return area;
            }
        }
        // No free spot in this column (a crowded image): the first spot in the image, on top of an earlier tag.
        return fallback ?? new BoundingBox(x, Math.Max(0f, Math.Min(anchor.Y, height - tagHeight)), tagWidth, tagHeight);
    }

    private static bool Overlaps(BoundingBox a, BoundingBox b) =>
        a.X < b.Right && b.X < a.Right && a.Y < b.Bottom && b.Y < a.Bottom;

    /// <summary>The annotated image as PNG bytes.</summary>
    public static byte[] EncodePng(RgbImage image, Annotations annotations)
    {
        using var bitmap = Render(image, annotations);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Writes the annotated image as a PNG to <paramref name="path"/> (through a temporary file).</summary>
    public static void SavePng(RgbImage image, Annotations annotations, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = EncodePng(image, annotations);
        var full = Path.GetFullPath(path);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, full, overwrite: true);
    }

    /// <summary>A filled tag with the text in the placed rectangle.</summary>
    private static void DrawLabel(SKCanvas canvas, LabelPlacement placement, SKColor color, float size)
    {
        var typeface = AnnotationFont.Typeface;
        if (typeface is null)
        {
            return;
        }
        using var font = new SKFont(typeface, size);
        using var textPaint = new SKPaint { Color = Contrast(color), IsAntialias = true };
        using var background = new SKPaint { Color = color, Style = SKPaintStyle.Fill };
        var area = placement.Area;
        var pad = size * 0.25f;
        canvas.DrawRect(area.X, area.Y, area.Width, area.Height, background);
        canvas.DrawText(placement.Text, area.X + pad, area.Y + pad + size * 0.85f, SKTextAlign.Left, font, textPaint);
    }

    private static SKColor Contrast(SKColor c) => c.Red * 0.299 + c.Green * 0.587 + c.Blue * 0.114 > 150 ? SKColors.Black : SKColors.White;
}
