using System.Globalization;
using ModelZoo.Imaging;
using SkiaSharp;

namespace ModelZoo.Tasks;

/// <summary>
/// Draws task results over an image with SkiaSharp: masks tinted, boxes with label and score, COCO skeletons,
/// face boxes with landmarks and attributes. Line widths and text scale with the image. Results are drawn weakest
/// first, so the most confident box and label end on top, and label tags are placed so that they do not cover one
/// another (<see cref="PlaceLabels"/>). Stateless.
/// </summary>
public static class Annotator
{
    private static readonly SKColor[] Palette =
    [
        new(0xFF, 0x38, 0x38), new(0xFF, 0x9D, 0x97), new(0xFF, 0x70, 0x1F), new(0xFF, 0xB2, 0x1D), new(0xCF, 0xD2, 0x31),
        new(0x48, 0xF9, 0x0A), new(0x92, 0xCC, 0x17), new(0x3D, 0xDB, 0x86), new(0x1A, 0x93, 0x34), new(0x00, 0xD4, 0xBB),
        new(0x2C, 0x99, 0xA8), new(0x00, 0xC2, 0xFF), new(0x34, 0x45, 0x93), new(0x64, 0x73, 0xFF), new(0x00, 0x18, 0xEC),
        new(0x84, 0x38, 0xFF), new(0x52, 0x00, 0x85), new(0xCB, 0x38, 0xFF), new(0xFF, 0x95, 0xC8), new(0xFF, 0x37, 0xC7),
    ];

    private static readonly SKColor FaceColor = new(0x00, 0xE6, 0x76);
    private static readonly SKColor LandmarkColor = new(0xFF, 0x40, 0x40);

    /// <summary>A new bitmap of <paramref name="image"/> with the annotations drawn; the caller owns and disposes it.</summary>
    public static SKBitmap Render(RgbImage image, Annotations annotations)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(annotations);
        var bitmap = image.ToBitmap();
        try
        {
            for (var i = 0; i < annotations.Masks.Count; i++)
            {
                Tint(bitmap, annotations.Masks[i], Palette[(i * 7 + 11) % Palette.Length]);
            }
            using var canvas = new SKCanvas(bitmap);
            var stroke = Math.Max(2f, 3f * Scale(image.Width, image.Height));
            foreach (var d in annotations.Detections.OrderBy(d => d.Score))
            {
                DrawBox(canvas, d.Box, Palette[d.ClassIndex % Palette.Length], stroke);
            }
            foreach (var pose in annotations.Poses.OrderBy(p => p.Score))
            {
                DrawPose(canvas, pose, annotations.KeypointThreshold, stroke);
            }
            foreach (var face in annotations.Faces.OrderBy(f => f.Score))
            {
                DrawBox(canvas, face.Box, FaceColor, stroke);
                using var dot = new SKPaint { Color = LandmarkColor, IsAntialias = true, Style = SKPaintStyle.Fill };
                foreach (var l in face.Landmarks)
                {
                    canvas.DrawCircle(l.X, l.Y, stroke * 1.2f, dot);
                }
            }
            // Tags after every box, so that no box line crosses a tag, weakest first so the strongest ends on top.
            foreach (var (placement, color) in Layout(image.Width, image.Height, annotations))
            {
                DrawLabel(canvas, placement, color, TextSize(image.Width, image.Height));
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
        return Layout(width, height, annotations).Select(l => l.Placement).ToList();
    }

    private static float Scale(int width, int height) => Math.Max(width, height) / 640f;

    private static float TextSize(int width, int height) => Math.Max(11f, 16f * Scale(width, height));

    private static List<(LabelPlacement Placement, SKColor Color)> Layout(int width, int height, Annotations annotations)
    {
        var typeface = AnnotationFont.Typeface;
        if (typeface is null)
        {
            return [];
        }
        var size = TextSize(width, height);
        using var font = new SKFont(typeface, size);
        var pad = size * 0.25f;
        var tagHeight = size + 2 * pad;
        var items = annotations.Detections.Select(d => (Text: $"{d.Label} {Percent(d.Score)}", d.Score, Anchor: d.Box, Color: Palette[d.ClassIndex % Palette.Length]))
            .Concat(annotations.Faces.Select(f => (Text: FaceText(f), f.Score, Anchor: f.Box, Color: FaceColor)))
            .Concat(annotations.Masks.Select(m => (Text: $"{m.Label} {Percent(m.Coverage)}", Score: m.Coverage,
                Anchor: new BoundingBox(0, tagHeight, width, height - tagHeight), Color: Palette[11])))
            .ToList();
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

    private static void DrawPose(SKCanvas canvas, Pose pose, float threshold, float stroke)
    {
        var k = pose.Keypoints;
        using var limb = new SKPaint { Color = new SKColor(0x00, 0xC2, 0xFF), StrokeWidth = stroke, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Round };
        foreach (var (from, to) in CocoKeypoints.Skeleton)
        {
            if (from < k.Count && to < k.Count && k[from].Score >= threshold && k[to].Score >= threshold)
            {
                canvas.DrawLine(k[from].X, k[from].Y, k[to].X, k[to].Y, limb);
            }
        }
        using var dot = new SKPaint { Color = new SKColor(0xFF, 0x9D, 0x00), IsAntialias = true, Style = SKPaintStyle.Fill };
        foreach (var point in k.Where(p => p.Score >= threshold))
        {
            canvas.DrawCircle(point.X, point.Y, stroke * 1.3f, dot);
        }
        if (pose.Box is { } box)
        {
            DrawBox(canvas, box, new SKColor(0x00, 0xC2, 0xFF), Math.Max(1f, stroke / 2));
        }
    }

    private static void DrawBox(SKCanvas canvas, BoundingBox box, SKColor color, float stroke)
    {
        using var paint = new SKPaint { Color = color, StrokeWidth = stroke, IsAntialias = true, Style = SKPaintStyle.Stroke };
        canvas.DrawRect(box.X, box.Y, box.Width, box.Height, paint);
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

    private static string FaceText(Face face)
    {
        var parts = new List<string> { Percent(face.Score) };
        if (face.Gender is not null) parts.Add(face.Gender);
        if (face.Age is float age) parts.Add(age.ToString("0", CultureInfo.InvariantCulture));
        if (face.Emotion is not null) parts.Add(face.Emotion);
        return "face " + string.Join(' ', parts);
    }

    private static string Percent(float score) => score.ToString("P0", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal);

    private static SKColor Contrast(SKColor c) => c.Red * 0.299 + c.Green * 0.587 + c.Blue * 0.114 > 150 ? SKColors.Black : SKColors.White;
}
