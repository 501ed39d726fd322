using ModelZoo.Training.Reports;
using ModelZoo.Training.Tests.Data;
using SkiaSharp;

namespace ModelZoo.Training.Tests.Reports;

public class PredictionGridTests
{
    private static SKBitmap Thumb(SKColor color, int w = 120, int h = 90)
    {
        var bmp = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        bmp.Erase(color);
        return bmp;
    }

    private static bool GreenDominant(SKColor c) => c.Green > 120 && c.Green > c.Red + 60 && c.Green > c.Blue + 60;

    private static bool RedDominant(SKColor c) => c.Red > 160 && c.Red > c.Green + 80 && c.Red > c.Blue + 80;

    [Fact]
    public void Borders_are_green_for_right_and_red_for_wrong_with_mistakes_first()
    {
        using var t = new TempFolder();
        using var grey = Thumb(new SKColor(128, 128, 128));
        var items = new List<GridItem>
        {
            new(grey, "cat", "cat", 0.93f),
            new(grey, "dog", "cat", 0.71f),
            new(grey, "dog", "dog", 0.88f),
        };
        var path = Path.Combine(t.Path, "grid.png");
        const int cell = 100;

        PredictionGrid.Write(path, items, columns: 3, cell: cell);

        using var png = PngAssert.Decode(path);
        // Order on the sheet: the mistake (dog→cat), then the two correct ones.
        var expectations = new[] { false, true, true };
        for (var i = 0; i < 3; i++)
        {
            var (x, y) = PredictionGrid.CellOrigin(i, 3, cell);
            var samples = new[]
            {
                png.GetPixel(x + 1, y + (cell / 2)),
                png.GetPixel(x + (cell / 2), y + 1),
                png.GetPixel(x + cell - 2, y + (cell / 2)),
                png.GetPixel(x + (cell / 2), y + cell - 2),
            };
            Assert.All(samples, c => Assert.True(expectations[i] ? GreenDominant(c) : RedDominant(c),
                $"cell {i}: border pixel {c} should be {(expectations[i] ? "green" : "red")}"));
            var centre = png.GetPixel(x + (cell / 2), y + (cell / 2));
            Assert.Equal(new SKColor(128, 128, 128), centre);
        }

        PngAssert.NoTempFiles(t.Path);
    }

    [Fact]
    public void Captions_are_coloured_like_the_border()
    {
        using var t = new TempFolder();
        using var grey = Thumb(new SKColor(128, 128, 128));
        var path = Path.Combine(t.Path, "grid.png");
        const int cell = 120;

        PredictionGrid.Write(path, [new(grey, "cat", "cat", 0.9f), new(grey, "cat", "dog", 0.6f)], columns: 2, cell: cell);

        using var png = PngAssert.Decode(path);
        var (wx, wy) = PredictionGrid.CellOrigin(0, 2, cell);
        var (rx, ry) = PredictionGrid.CellOrigin(1, 2, cell);
        var wrongCaption = new SKRectI(wx, wy + cell + 2, wx + cell, wy + cell + 20);
        var rightCaption = new SKRectI(rx, ry + cell + 2, rx + cell, ry + cell + 20);
        Assert.True(PngAssert.Count(png, wrongCaption, RedDominant) > 20, "the wrong prediction's caption is not red");
        Assert.True(PngAssert.Count(png, rightCaption, GreenDominant) > 20, "the right prediction's caption is not green");
        var secondLine = new SKRectI(wx, wy + cell + 22, wx + cell, wy + cell + 38);
        Assert.True(PngAssert.Count(png, secondLine, c => c.Red < 150 && Math.Abs(c.Red - c.Blue) < 20) > 20,
            "the wrong prediction has no grey 'true: …' line");
    }

    [Fact]
    public void MaxItems_limits_the_cells_and_keeps_the_mistakes()
    {
        using var t = new TempFolder();
        using var grey = Thumb(new SKColor(90, 90, 90), 60, 160);
        var items = Enumerable.Range(0, 10)
            .Select(i => new GridItem(grey, "a", i == 9 ? "b" : "a", 0.5f))
            .ToList();
        var path = Path.Combine(t.Path, "grid.png");

        PredictionGrid.Write(path, items, columns: 2, cell: 80, maxItems: 4);

        using var png = PngAssert.Decode(path);
        var (_, lastY) = PredictionGrid.CellOrigin(3, 2, 80);
        Assert.Equal(lastY + 80 + PredictionGrid.CaptionHeight + PredictionGrid.Gap + PredictionGrid.Margin, png.Height);
        var (x0, y0) = PredictionGrid.CellOrigin(0, 2, 80);
        Assert.True(RedDominant(png.GetPixel(x0 + 1, y0 + 40)), "the only mistake should be the first cell");
    }

    [Fact]
    public void Ordering_puts_mistakes_first_and_is_stable()
    {
        using var grey = Thumb(SKColors.Gray);
        var items = new List<GridItem>
        {
            new(grey, "a", "a", 0.1f), new(grey, "a", "b", 0.2f), new(grey, "b", "b", 0.3f), new(grey, "b", "a", 0.4f),
        };

        var order = PredictionGrid.Order(items).Select(i => i.Confidence);

        Assert.Equal([0.2f, 0.4f, 0.1f, 0.3f], order);
    }

    [Fact]
    public void An_empty_list_still_writes_an_image()
    {
        using var t = new TempFolder();
        var path = Path.Combine(t.Path, "grid.png");

        PredictionGrid.Write(path, []);

        using var png = PngAssert.Decode(path);
        Assert.True(png.Width > 0 && png.Height > 0);
    }
}
