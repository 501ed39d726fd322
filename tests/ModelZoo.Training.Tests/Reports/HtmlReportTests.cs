using ModelZoo.Training.Reports;
using ModelZoo.Training.Tests.Data;
using SkiaSharp;

namespace ModelZoo.Training.Tests.Reports;

public class HtmlReportTests
{
    private static TrainingReport Report(TempFolder t, string? gridPath = null)
    {
        var (steps, epochs) = TrainingPlotsTests.History(4, 6);
        var curves = Path.Combine(t.Path, "curves.png");
        var confusion = Path.Combine(t.Path, "confusion.png");
        TrainingPlots.WriteCurves(curves, steps, epochs);
        TrainingPlots.WriteConfusion(confusion, new[,] { { 5, 1 }, { 0, 6 } }, ["<script>alert(1)</script>", "dog & cat"]);

        return new TrainingReport(
            "mobilenet-v2 → <b>pets</b>",
            new Dictionary<string, string> { ["base"] = "onnx:mobilenet-v2", ["epochs"] = "4", ["data"] = "/data/\"pets\"" },
            new Dictionary<string, double> { ["validation accuracy"] = 0.9166, ["validation loss"] = 0.2345 },
            new ReportImages(curves, confusion, gridPath),
            [new ClassMetricsRow("<script>alert(1)</script>", 6, 1.0, 0.8333, 0.909), new ClassMetricsRow("dog & cat", 6, 0.857, 1.0, 0.923)],
            new DatasetStats("/data/pets", 60, 48, 12,
                new Dictionary<string, int> { ["<script>alert(1)</script>"] = 30, ["dog & cat"] = 30 },
                [new SkippedImage("/data/pets/dog & cat/<broken>.jpg", "not a decodable image")]),
            [new TimingEntry("feature extraction", TimeSpan.FromSeconds(12.5)), new TimingEntry("training", TimeSpan.FromMilliseconds(350))]);
    }

    [Fact]
    public void Report_has_every_section_and_embeds_the_images()
    {
        using var t = new TempFolder();
        using var thumb = new SKBitmap(40, 40);
        thumb.Erase(SKColors.Orange);
        var grid = Path.Combine(t.Path, "grid.png");
        PredictionGrid.Write(grid, [new GridItem(thumb, "a", "b", 0.5f)]);
        var report = Report(t, grid);
        var path = Path.Combine(t.Path, "report", "index.html");

        HtmlReport.Write(path, report);

        var html = File.ReadAllText(path);
        foreach (var id in new[] { "metrics", "curves", "confusion", "per-class", "predictions", "settings", "dataset", "skipped", "timings" })
        {
            Assert.Contains($"<section id=\"{id}\">", html);
        }

        foreach (var png in new[] { report.Images.CurvesPng!, report.Images.ConfusionPng!, grid })
        {
            Assert.Contains("data:image/png;base64," + Convert.ToBase64String(File.ReadAllBytes(png)), html);
        }

        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("src=\"/", html);
        Assert.Contains("91.7%", html);
        Assert.Contains("0.2345", html);
        Assert.Contains("feature extraction", html);
        Assert.Contains("12.5 s", html);
        Assert.Contains("not a decodable image", html);
        Assert.StartsWith("<!DOCTYPE html>", html);
        PngAssert.NoTempFiles(t.Path);
    }

    [Fact]
    public void User_text_is_html_encoded()
    {
        using var t = new TempFolder();
        var path = Path.Combine(t.Path, "index.html");

        HtmlReport.Write(path, Report(t));

        var html = File.ReadAllText(path);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>pets</b>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("dog &amp; cat", html);
        Assert.Contains("&lt;broken&gt;.jpg", html);
        Assert.Contains("/data/&quot;pets&quot;", html);
    }

    [Fact]
    public void Missing_or_absent_images_are_noted_instead_of_failing()
    {
        using var t = new TempFolder();
        var report = Report(t) with { Images = new ReportImages(Path.Combine(t.Path, "gone.png"), null, null) };
        var path = Path.Combine(t.Path, "index.html");

        HtmlReport.Write(path, report);

        var html = File.ReadAllText(path);
        Assert.Contains("Image missing", html);
        Assert.Contains("gone.png", html);
        Assert.Contains("Not produced for this run.", html);
        Assert.DoesNotContain("data:image/png", html);
    }
}
