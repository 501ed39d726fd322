using SkiaSharp;

namespace ModelZoo.Tasks.Ocr;

/// <summary>
/// Draws OCR results onto a copy of the image: each line's polygon and its recognised text above it. Text uses a system
/// sans-serif font found through Skia's font manager (DejaVu Sans where installed); where the system has no font the
/// polygons are still drawn and the text is left out.
/// </summary>
public static class OcrAnnotator
{
    private static readonly Lazy<SKTypeface?> Typeface = new(FindTypeface);

    /// <summary>The annotated image encoded as PNG.</summary>
    public static byte[] RenderPng(RgbImage image, OcrResult result)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(result);
        using var bitmap = image.ToBitmap();
        using (var canvas = new SKCanvas(bitmap))
        {
            var stroke = Math.Max(2f, Math.Min(image.Width, image.Height) / 300f);
            using var outline = new SKPaint { Color = new SKColor(0, 200, 80), Style = SKPaintStyle.Stroke, StrokeWidth = stroke, IsAntialias = true };
            using var label = new SKPaint { Color = new SKColor(200, 0, 40), IsAntialias = true };
            using var backdrop = new SKPaint { Color = new SKColor(255, 255, 255, 200) };
            var typeface = Typeface.Value;
            foreach (var line in result.Lines)
            {
                using var path = new SKPath();
                path.MoveTo(line.Polygon[0].X, line.Polygon[0].Y);
                foreach (var p in line.Polygon.Skip(1))
                {
                    path.LineTo(p.X, p.Y);
                }
                path.Close();
                canvas.DrawPath(path, outline);
                if (typeface is null)
                {
                    continue;
                }
                var height = line.Polygon.Max(p => p.Y) - line.Polygon.Min(p => p.Y);
                using var font = new SKFont(typeface, Math.Clamp(height * 0.6f, 10f, 48f));
                var x = line.Polygon.Min(p => p.X);
                var y = line.Polygon.Min(p => p.Y) - stroke;
                var width = font.MeasureText(line.Text);
                canvas.DrawRect(x, y - font.Size, width, font.Size * 1.2f, backdrop);
                canvas.DrawText(line.Text, x, y, SKTextAlign.Left, font, label);
            }
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static SKTypeface? FindTypeface()
    {
        foreach (var family in new[] { "DejaVu Sans", "Arial", "Helvetica", "Liberation Sans", "Segoe UI", "sans-serif" })
        {
            var typeface = SKFontManager.Default.MatchFamily(family);
            if (typeface is not null)
            {
                return typeface;
            }
        }
        return SKFontManager.Default.FontFamilyCount > 0 ? SKFontManager.Default.MatchFamily(SKFontManager.Default.GetFamilyName(0)) : null;
    }
}
