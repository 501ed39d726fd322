using ModelZoo.Tests.Infrastructure;
using ModelZoo.Training.Metrics;
using ModelZoo.Training.Reports;
using ModelZoo.Training.Tests.Data;
using ModelZoo.Training.Tests.Reports;
using ModelZoo.Training.Transfer;
using SkiaSharp;

namespace ModelZoo.Training.Tests.Transfer;

public class EvaluationGridTests
{
    // Layout of PredictionGrid: 6 columns of 160 px cells, 12 px margin and gaps, 46 px header, 40 px captions, 5 px frames.
    private static int Height(int cells) => 46 + (((cells + 5) / 6) * (160 + 40 + 12)) + 12;

    private static SKColor Frame(SKBitmap png, int index) => png.GetPixel(12 + ((index % 6) * 172) + 2, 46 + ((index / 6) * 212) + 80);

    [Fact]
    public void The_evaluation_grid_shows_every_image_mistakes_first_unless_limited()
    {
        using var t = new TempFolder();
        var data = TuxpaintDataset.Create(Path.Combine(t.Path, "data"), perClass: 11);
        var labels = TuxpaintDataset.Classes.Select(c => c.Class).ToList();
        var images = new List<EvaluatedImage>();
        foreach (var label in labels)
        {
            images.AddRange(Directory.GetFiles(Path.Combine(data, label)).Order(StringComparer.Ordinal).Select(p => new EvaluatedImage(p, label, label, 0.9f)));
        }

        // Three mistakes at the very end of the list: they must come first in the grid.
        for (var i = images.Count - 3; i < images.Count; i++)
        {
            images[i] = images[i] with { PredictedLabel = labels[0] == images[i].TrueLabel ? labels[1] : labels[0], Confidence = 0.6f };
        }

        var confusion = new ConfusionMatrix(labels.Count);
        foreach (var image in images)
        {
            confusion.Add(labels.IndexOf(image.TrueLabel), labels.IndexOf(image.PredictedLabel));
        }

        var result = new EvaluationResult("local/test", labels, confusion, images, []);
        var (grid, _) = result.WriteImages(Path.Combine(t.Path, "all"));
        using (var png = PngAssert.Decode(grid))
        {
            Assert.Equal(55, images.Count);
            Assert.Equal(Height(55), png.Height);
            Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(PredictionGrid.Wrong, Frame(png, i)));
            Assert.Equal(PredictionGrid.Correct, Frame(png, 3));
            Assert.Equal(PredictionGrid.Correct, Frame(png, 54));
        }

        var (limited, _) = result.WriteImages(Path.Combine(t.Path, "limited"), gridLimit: 12);
        using (var png = PngAssert.Decode(limited))
        {
            Assert.Equal(Height(12), png.Height);
            Assert.Equal(PredictionGrid.Wrong, Frame(png, 0));
        }
    }
}
