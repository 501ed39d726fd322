using SkiaSharp;

namespace ModelZoo.Training.Reports;

/// <summary>
/// A PNG contact sheet of predictions: each cell shows the image inside a coloured frame (green when
/// the prediction is right, red when wrong) with the caption "predicted (87%)" in the same colour and,
/// for mistakes, a second line "true: X". Mistakes come first, in the order given, so they survive
/// <c>maxItems</c> and are seen first; the header says so. Text uses an installed sans-serif font; on a
/// machine without fonts the text is left out and the frames still tell right from wrong.
/// </summary>
public static class PredictionGrid
{
    internal static readonly SKColor Correct = new(0x1E, 0x9E, 0x3A);
    internal static readonly SKColor Wrong = new(0xD6, 0x27, 0x28);
    private static readonly SKColor Ink = new(0x22, 0x22, 0x22);
    private static readonly SKColor Muted = new(0x5A, 0x5A, 0x5A);
    private static readonly SKColor Matte = new(0xF0, 0xF0, 0xF0);

    internal const int Margin = 12;
    internal const int Gap = 12;
    internal const int HeaderHeight = 46;
    internal const int CaptionHeight = 40;
    internal const int BorderWidth = 5;

    /// <summary>
    /// Writes the grid as a PNG (atomically). Mistakes are placed first, then correct predictions,
    /// each group in the order given; at most <paramref name="maxItems"/> cells are drawn.
    /// </summary>
    /// <param name="path">PNG file to write (folders are created).</param>
    /// <param name="items">Predictions with their thumbnails.</param>
    /// <param name="columns">Cells per row (at least 1).</param>
    /// <param name="cell">Side of the square image area of a cell, in pixels (at least 48).</param>
    /// <param name="maxItems">Most cells to draw; null for all.</param>
    public static void Write(string path, IReadOnlyList<GridItem> items, int columns = 6, int cell = 160, int? maxItems = 48)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cell, 48);
        if (maxItems is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxItems), "maxItems must be null (all) or at least 0.");
        }

        var ordered = Order(items);
        var shown = maxItems is { } max ? ordered.Take(max).ToList() : ordered;
        var cols = Math.Max(1, Math.Min(columns, shown.Count));
        var rows = (shown.Count + cols - 1) / cols;
        var width = Math.Max((2 * Margin) + (cols * cell) + ((cols - 1) * Gap), 520);
        var height = HeaderHeight + (rows * (cell + CaptionHeight + Gap)) + Margin;

        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        DrawHeader(canvas, items, shown, width);
        for (var i = 0; i < shown.Count; i++)
        {
            var (x, y) = CellOrigin(i, cols, cell);
            DrawCell(canvas, shown[i], x, y, cell);
        }

        canvas.Flush();
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.WriteBytes(path, data.AsSpan());
    }

    /// <summary>Mistakes first, then correct predictions; stable within each group.</summary>
    internal static List<GridItem> Order(IReadOnlyList<GridItem> items) =>
        items.Where(i => !i.IsCorrect).Concat(items.Where(i => i.IsCorrect)).ToList();

    /// <summary>Top-left corner of cell <paramref name="index"/>'s framed image area.</summary>
    internal static (int X, int Y) CellOrigin(int index, int columns, int cell)
    {
        var col = index % columns;
        var row = index / columns;
        return (Margin + (col * (cell + Gap)), HeaderHeight + (row * (cell + CaptionHeight + Gap)));
    }

    private static void DrawHeader(SKCanvas canvas, IReadOnlyList<GridItem> all, List<GridItem> shown, int width)
    {
        var typeface = ReportFont.Typeface;
        var wrong = all.Count(i => !i.IsCorrect);
        var wrongShown = shown.Count(i => !i.IsCorrect);

        // Legend swatches first: they work even without a font.
        float x = Margin, y = 14;
        foreach (var (color, text) in new[] { (Correct, "correct"), (Wrong, "wrong") })
        {
            using var swatch = new SKPaint { Color = color, IsAntialias = true };
            canvas.DrawRect(SKRect.Create(x, y, 14, 14), swatch);
            x += 20;
            if (typeface is not null)
            {
                using var font = new SKFont(typeface, 13);
                using var paint = new SKPaint { Color = Ink, IsAntialias = true };
                canvas.DrawText(text, x, y + 12, SKTextAlign.Left, font, paint);
                x += font.MeasureText(text) + 16;
            }
            else
            {
                x += 10;
            }
        }

        if (typeface is null)
        {
            return;
        }

        var summary = all.Count == 0
            ? "no predictions to show"
            : string.Create(CultureInfo.InvariantCulture,
                $"{wrong} wrong of {all.Count} · showing {shown.Count} ({wrongShown} wrong), mistakes first");
        using var summaryFont = new SKFont(typeface, 13);
        using var summaryPaint = new SKPaint { Color = Muted, IsAntialias = true };
        canvas.DrawText(Fit(summary, summaryFont, width - x - Margin), x + 8, y + 12, SKTextAlign.Left, summaryFont, summaryPaint);
    }

    private static void DrawCell(SKCanvas canvas, GridItem item, int x, int y, int cell)
    {
        var color = item.IsCorrect ? Correct : Wrong;
        using (var matte = new SKPaint { Color = Matte })
        {
            canvas.DrawRect(SKRect.Create(x, y, cell, cell), matte);
        }

        var inner = SKRect.Create(x + BorderWidth, y + BorderWidth, cell - (2 * BorderWidth), cell - (2 * BorderWidth));
        var thumb = item.Thumbnail;
        if (thumb is { Width: > 0, Height: > 0 })
        {
            var scale = Math.Min(inner.Width / thumb.Width, inner.Height / thumb.Height);
            var w = thumb.Width * scale;
            var h = thumb.Height * scale;
            var dest = SKRect.Create(inner.MidX - (w / 2), inner.MidY - (h / 2), w, h);
            using var image = SKImage.FromBitmap(thumb);
            var sampling = scale < 1
                ? new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)
                : new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None);
            canvas.DrawImage(image, SKRect.Create(thumb.Width, thumb.Height), dest, sampling);
        }

        using (var border = new SKPaint { Color = color, Style = SKPaintStyle.Stroke, StrokeWidth = BorderWidth })
        {
            // A stroke is centred on its path: inset by half the width so the frame stays inside the cell.
            var half = BorderWidth / 2f;
            canvas.DrawRect(SKRect.Create(x + half, y + half, cell - BorderWidth, cell - BorderWidth), border);
        }

        var typeface = ReportFont.Typeface;
        if (typeface is null)
        {
            return;
        }

        // Shorten the label, never the confidence.
        var confidence = string.Create(CultureInfo.InvariantCulture, $" ({Math.Round(100 * Math.Clamp(item.Confidence, 0f, 1f)):0}%)");
        using var titleFont = new SKFont(ReportFont.Bold ?? typeface, 13);
        using var titlePaint = new SKPaint { Color = color, IsAntialias = true };
        var title = Fit(item.PredictedLabel, titleFont, cell - titleFont.MeasureText(confidence)) + confidence;
        canvas.DrawText(title, x, y + cell + 16, SKTextAlign.Left, titleFont, titlePaint);
        if (!item.IsCorrect)
        {
            using var trueFont = new SKFont(typeface, 12);
            using var truePaint = new SKPaint { Color = Muted, IsAntialias = true };
            canvas.DrawText(Fit("true: " + item.TrueLabel, trueFont, cell), x, y + cell + 33, SKTextAlign.Left, trueFont, truePaint);
        }
    }

    /// <summary>Shortens <paramref name="text"/> with an ellipsis until it fits <paramref name="width"/> pixels.</summary>
    private static string Fit(string text, SKFont font, float width)
    {
        text = text.ReplaceLineEndings(" ");
        if (font.MeasureText(text) <= width)
        {
            return text;
        }

        var length = text.Length;
        while (length > 1 && font.MeasureText(text[..length] + "…") > width)
        {
            length--;
        }

        return text[..length] + "…";
    }
}
