using ModelZoo.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ModelZoo.Cli.Tests.Hostile;

/// <summary>
/// Broken detection labels for <c>zoo val</c>, generated here: a one-image COCO JSON or YOLO txt folder with one thing
/// wrong. Each ends in a one-line error naming the file (and line) at fault, exit 1 or 2, before any model runs.
/// </summary>
public sealed class DetectionLabelsHostileCorpusTests(ITestOutputHelper log)
{
    private const string Coco = """
        {"images": [{"id": 1, "file_name": "dog.jpg"}],
         "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [10, 20, 30, 40]}],
         "categories": [{"id": 1, "name": "dog"}]}
        """;

    private static readonly Dictionary<string, (Action<string> Make, string[] Mentions)> Cases = new()
    {
        ["coco-truncated"] = (d => Json(d, Coco[..40]), ["labels.json", "not COCO detection JSON"]),
        ["coco-no-annotations"] = (d => Json(d, """{"images": [], "categories": []}"""), ["annotations"]),
        ["coco-image-missing"] = (d => Json(d, Coco.Replace("dog.jpg", "cat.jpg", StringComparison.Ordinal)), ["cat.jpg", "not in"]),
        ["coco-image-outside"] = (d => Json(d, Coco.Replace("dog.jpg", "../../../../etc/passwd", StringComparison.Ordinal)), ["../../../../etc/passwd", "not in"]),
        ["coco-bbox-negative"] = (d => Json(d, Coco.Replace("30, 40", "-30, 40", StringComparison.Ordinal)), ["bbox", "-30"]),
        ["coco-bbox-short"] = (d => Json(d, Coco.Replace("[10, 20, 30, 40]", "[10, 20]", StringComparison.Ordinal)), ["labels.json"]),
        ["coco-bbox-text"] = (d => Json(d, Coco.Replace("[10, 20, 30, 40]", "\"10,20,30,40\"", StringComparison.Ordinal)), ["labels.json"]),
        ["coco-unknown-category"] = (d => Json(d, Coco.Replace("\"category_id\": 1", "\"category_id\": 7", StringComparison.Ordinal)), ["category 7"]),
        ["coco-two-files"] = (d => { Json(d, Coco); File.WriteAllText(Path.Combine(d, "other.json"), Coco); }, ["2 .json files"]),
        ["yolo-no-classes"] = (d => File.WriteAllText(Path.Combine(d, "dog.txt"), "0 0.5 0.5 0.2 0.2\n"), ["classes.txt"]),
        ["yolo-class-out-of-range"] = (d => Yolo(d, "3 0.5 0.5 0.2 0.2"), ["dog.txt line 1", "below 1"]),
        ["yolo-value-above-one"] = (d => Yolo(d, "0 0.5 0.5 1.2 0.2"), ["dog.txt line 1"]),
        ["yolo-too-few-values"] = (d => Yolo(d, "0 0.5 0.5"), ["dog.txt line 1"]),
        ["yolo-nan"] = (d => Yolo(d, "0 NaN 0.5 0.2 0.2"), ["dog.txt line 1"]),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys.Order(StringComparer.Ordinal));

    private static void Json(string folder, string text) => File.WriteAllText(Path.Combine(folder, "labels.json"), text);

    private static void Yolo(string folder, string line)
    {
        File.WriteAllText(Path.Combine(folder, "classes.txt"), "dog\n");
        File.WriteAllText(Path.Combine(folder, "dog.txt"), line + "\n");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Hostile_labels_end_in_a_clean_error(string name)
    {
        using var home = new TempHome();
        var data = Path.Combine(home.Path, "data");
        Directory.CreateDirectory(data);
        File.Copy(TestAssets.Image("darknet/dog.jpg"), Path.Combine(data, "dog.jpg"));
        Cases[name].Make(data);

        var result = ModelInputCorpus.Run(home.Settings(offline: true), "val", "coco/nanodet/detection", "--data", data);

        log.WriteLine(ModelInputCorpus.AssertCleanError(result, Cases[name].Mentions));
    }

    [Fact]
    public void A_missing_folder_is_named()
    {
        using var home = new TempHome();
        var result = ModelInputCorpus.Run(home.Settings(offline: true), "val", "coco/nanodet/detection", "--data", Path.Combine(home.Path, "nowhere"));
        log.WriteLine(ModelInputCorpus.AssertCleanError(result, "nowhere", "does not exist"));
    }
}
