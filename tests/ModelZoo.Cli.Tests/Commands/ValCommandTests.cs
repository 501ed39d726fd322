using System.Globalization;
using System.Text.Json;
using ModelZoo.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ModelZoo.Cli.Tests.Commands;

/// <summary>
/// <c>zoo val</c> on the hand-labelled photos (<c>hand-labelled-photos.json</c> beside this file: seven real photos
/// from Debian's darknet package and scikit-image's data, each COCO-class object boxed by hand on a pixel grid drawn
/// over the photo), with the offline COCO detectors; the same labels written as YOLO txt give the same figures.
/// </summary>
public sealed class ValCommandTests(ITestOutputHelper log)
{
    private static readonly string LabelsJson = Path.Combine(TestAssets.RepoRoot, "tests", "ModelZoo.Cli.Tests", "Commands", "hand-labelled-photos.json");

    /// <summary>A folder with the COCO JSON and the photos it names (copied from the fetched test data).</summary>
    private static string CocoFolder(string root)
    {
        var folder = Path.Combine(root, "coco");
        Directory.CreateDirectory(folder);
        File.Copy(LabelsJson, Path.Combine(folder, "labels.json"));
        using var document = JsonDocument.Parse(File.ReadAllText(LabelsJson));
        foreach (var image in document.RootElement.GetProperty("images").EnumerateArray())
        {
            var name = image.GetProperty("file_name").GetString()!;
            var target = Path.Combine(folder, name);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(TestAssets.Image(name), target);
        }
        return folder;
    }

    /// <summary>The same labels as YOLO txt: images/ and labels/ with normalised centres, and classes.txt.</summary>
    private static string YoloFolder(string root)
    {
        var folder = Path.Combine(root, "yolo");
        Directory.CreateDirectory(Path.Combine(folder, "images"));
        Directory.CreateDirectory(Path.Combine(folder, "labels"));
        using var document = JsonDocument.Parse(File.ReadAllText(LabelsJson));
        var r = document.RootElement;
        var categories = r.GetProperty("categories").EnumerateArray().Select(c => (Id: c.GetProperty("id").GetInt32(), Name: c.GetProperty("name").GetString()!)).ToList();
        File.WriteAllLines(Path.Combine(folder, "classes.txt"), categories.Select(c => c.Name));
        foreach (var image in r.GetProperty("images").EnumerateArray())
        {
            var name = image.GetProperty("file_name").GetString()!;
            var id = image.GetProperty("id").GetInt32();
            double w = image.GetProperty("width").GetDouble(), h = image.GetProperty("height").GetDouble();
            File.Copy(TestAssets.Image(name), Path.Combine(folder, "images", Path.GetFileName(name)));
            var lines = r.GetProperty("annotations").EnumerateArray().Where(a => a.GetProperty("image_id").GetInt32() == id).Select(a =>
            {
                var b = a.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
                var cls = categories.FindIndex(c => c.Id == a.GetProperty("category_id").GetInt32());
                return string.Create(CultureInfo.InvariantCulture, $"{cls} {(b[0] + b[2] / 2) / w:R} {(b[1] + b[3] / 2) / h:R} {b[2] / w:R} {b[3] / h:R}");
            });
            File.WriteAllLines(Path.Combine(folder, "labels", Path.GetFileNameWithoutExtension(name) + ".txt"), lines);
        }
        return folder;
    }

    [Theory]
    [InlineData("coco/nanodet/detection", 0.8, 0.5)]
    [InlineData("coco/centernet/detection", 0.8, 0.5)]
    public void Offline_detectors_find_the_hand_labelled_objects(string handle, double minMap50, double minMap)
    {
        using var home = new TempHome();
        var coco = CocoFolder(home.Path);
        var yolo = YoloFolder(home.Path);
        var report = Path.Combine(home.Path, "report");

        var fromCoco = CliRunner.Run(SharedStore.Settings, "val", handle, "--data", coco, "--json", "--out", report);
        var fromYolo = CliRunner.Run(SharedStore.Settings, "val", handle, "--data", yolo, "--json");

        Assert.True(fromCoco.ExitCode == 0, fromCoco.AllText);
        Assert.True(fromYolo.ExitCode == 0, fromYolo.AllText);
        using var a = JsonDocument.Parse(fromCoco.Output);
        using var b = JsonDocument.Parse(fromYolo.Output);
        var map50 = a.RootElement.GetProperty("map50").GetDouble();
        var map = a.RootElement.GetProperty("map").GetDouble();
        log.WriteLine($"{handle}: mAP@0.5 {map50:0.000}, mAP@0.5:0.95 {map:0.000}");
        Assert.True(map50 >= minMap50, $"{handle}: mAP@0.5 {map50:0.000} < {minMap50}");
        Assert.True(map >= minMap, $"{handle}: mAP@0.5:0.95 {map:0.000} < {minMap}");
        // YOLO txt stores normalised centres: the boxes come back within float rounding, the figures the same.
        Assert.Equal(map50, b.RootElement.GetProperty("map50").GetDouble(), 6);
        Assert.Equal(map, b.RootElement.GetProperty("map").GetDouble(), 6);
        Assert.Equal(10, a.RootElement.GetProperty("per_class").GetArrayLength());
        Assert.True(new FileInfo(Path.Combine(report, "pr-curves.png")).Length > 10_000);
        Assert.Contains("| mAP@0.5 |", File.ReadAllText(Path.Combine(report, "report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_yolo_label_line_is_named()
    {
        using var home = new TempHome();
        var yolo = YoloFolder(home.Path);
        File.AppendAllText(Path.Combine(yolo, "labels", "dog.txt"), "3 0.5 0.5 1.7 0.2\n");

        var result = CliRunner.Run(SharedStore.Settings with { Offline = true }, "val", "coco/nanodet/detection", "--data", yolo);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("dog.txt line 5", result.AllText, StringComparison.Ordinal);
    }
}
