using ModelZoo.Imaging;
using SkiaSharp;

namespace ModelZoo.Training.Transfer;

/// <summary>Writes a prediction grid of image files: decoded by the imaging pipeline (JPEGs at a reduced DCT scale),
/// thumbnailed, mistakes first.</summary>
internal static class PredictionThumbnails
{
    private const int ThumbnailSide = 160;

    /// <summary>One prediction to show.</summary>
    public sealed record Item(string Path, string TrueLabel, string PredictedLabel, float Confidence);

    /// <summary>
    /// Writes <paramref name="path"/> with every prediction, mistakes first, or the first <paramref name="limit"/>. Only the
    /// images the grid shows are decoded; the rest count in its header (through a shared 1×1 placeholder) so that the
    /// mistake count covers every prediction.
    /// </summary>
    public static void Write(string path, IReadOnlyList<Item> items, ImageDecodeOptions? decode = null, int? limit = null)
    {
        var shown = limit ?? items.Count;
        var ordered = items.Where(i => i.TrueLabel != i.PredictedLabel).Concat(items.Where(i => i.TrueLabel == i.PredictedLabel)).ToList();
        using var placeholder = new SKBitmap(1, 1);
        var thumbnails = new List<SKBitmap>();
        try
        {
            var grid = new List<GridItem>(ordered.Count);
            for (var i = 0; i < ordered.Count; i++)
            {
                var item = ordered[i];
                var thumbnail = i < shown ? TryThumbnail(item.Path, decode) : null;
                if (thumbnail is not null)
                {
                    thumbnails.Add(thumbnail);
                }

                grid.Add(new GridItem(thumbnail ?? placeholder, item.TrueLabel, item.PredictedLabel, item.Confidence));
            }

            PredictionGrid.Write(path, grid, maxItems: shown);
        }
        finally
        {
            foreach (var t in thumbnails)
            {
                t.Dispose();
            }
        }
    }

    private static SKBitmap? TryThumbnail(string path, ImageDecodeOptions? decode)
    {
        try
        {
            // A phone photo is decoded at the smallest DCT scale that still leaves twice the thumbnail's side for the
            // resize to filter down from, not at 12 megapixels.
            using var image = ImageDecoder.DecodeScaled(path, decode, (width, height) => Math.Min(1.0, 2.0 * ThumbnailSide / Math.Max(width, height))).Image;
            using var full = image.ToBitmap();
            var scale = Math.Min(1.0, (double)ThumbnailSide / Math.Max(image.Width, image.Height));
            var w = Math.Max(1, (int)Math.Round(image.Width * scale));
            var h = Math.Max(1, (int)Math.Round(image.Height * scale));
            return full.Resize(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque), new SKSamplingOptions(SKCubicResampler.Mitchell));
        }
        catch (Exception ex) when (ex is ZooException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
