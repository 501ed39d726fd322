using System.Globalization;
using ModelZoo.Imaging;
using SkiaSharp;

namespace ModelZoo.Tasks;

/// <summary>
/// Draws task results over an image with SkiaSharp: masks tinted, boxes with label and score, COCO skeletons,
/// face boxes with landmarks and attributes. Line widths and text scale with the image. Stateless.
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
            var scale = Math.Max(image.Width, image.Height) / 640f;
            var stroke = Math.Max(2f, 3f * scale);
            var textSize = Math.Max(11f, 16f * scale);
            foreach (var d in annotations.Detections)
            {
                var color = Palette[d.ClassIndex % Palette.Length];
                DrawBox(canvas, d.Box, color, stroke);
                DrawLabel(canvas, $"{d.Label} {Percent(d.Score)}", d.Box.X, d.Box.Y, color, textSize);
            }
            foreach (var pose in annotations.Poses)
            {
                DrawPose(canvas, pose, annotations.KeypointThreshold, stroke);
            }
            foreach (var face in annotations.Faces)
            {
                DrawBox(canvas, face.Box, FaceColor, stroke);
                using var dot = new SKPaint { Color = LandmarkColor, IsAntialias = true, Style = SKPaintStyle.Fill };
                foreach (var l in face.Landmarks)
                {
                    canvas.DrawCircle(l.X, l.Y, stroke * 1.2f, dot);
                }
                DrawLabel(canvas, FaceText(face), face.Box.X, face.Box.Y, FaceColor, textSize);
            }
            foreach (var mask in annotations.Masks)
            {
                DrawLabel(canvas, $"{mask.Label} {Percent(mask.Coverage)}", 0, textSize * 1.6f, Palette[11], textSize);
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

    /// <summary>A filled tag with the text, above (x, y) when there is room, else just inside.</summary>
    private static void DrawLabel(SKCanvas canvas, string text, float x, float y, SKColor color, float size)
    {
        var typeface = AnnotationFont.Typeface;
        if (typeface is null)
        {
            return;
        }
        using var font = new SKFont(typeface, size);
        using var textPaint = new SKPaint { Color = Contrast(color), IsAntialias = true };
        using var background = new SKPaint { Color = color, Style = SKPaintStyle.Fill };
        var width = font.MeasureText(text);
        var pad = size * 0.25f;
        var height = size + 2 * pad;
        var top = y - height >= 0 ? y - height : y;
        canvas.DrawRect(x, top, width + 2 * pad, height, background);
        canvas.DrawText(text, x + pad, top + pad + size * 0.85f, SKTextAlign.Left, font, textPaint);
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
