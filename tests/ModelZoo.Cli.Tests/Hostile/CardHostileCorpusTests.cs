using System.Text.Json.Nodes;
using ModelZoo.Catalog;
using ModelZoo.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ModelZoo.Cli.Tests.Hostile;

/// <summary>
/// Hostile user cards, generated here: a real 3-d feature extractor (an ONNX graph, GlobalAveragePool of an 8×8
/// RGB image) with a card in <c>&lt;home&gt;/catalog</c> whose one field is broken, run through <c>zoo embed</c>.
/// Every case ends in a one-line error, exit 1 or 2, no stack trace, no hang, nothing written to the output, and
/// no copy of the model left in the store.
/// </summary>
public sealed class CardHostileCorpusTests(ITestOutputHelper log)
{
    private static readonly Dictionary<string, (Action<UserCard> Break, string[] Mentions)> Cases = new()
    {
        // Sizes that do not match the file or the model (issue: accepted).
        ["file-size-smaller"] = (c => c.File()["size"] = c.ModelBytes - 100, ["size", "model.onnx"]),
        ["file-size-larger"] = (c => c.File()["size"] = c.ModelBytes + 1000, ["size", "model.onnx"]),
        ["output-size-wrong"] = (c => c.Output()["size"] = 512, ["output.size", "512"]),
        ["output-size-zero"] = (c => c.Output()["size"] = 0, ["output.size"]),
        // Decoders the task does not have (issue: accepted).
        ["decoder-unknown-detection"] = (c => c.MakeDetector("yolov99"), ["output.decoder 'yolov99'", "yolov8"]),
        ["decoder-unknown-pose"] = (c => c.MakePose("posenet-v9"), ["output.decoder 'posenet-v9'", "movenet"]),
        ["decoder-missing-detection"] = (c => c.MakeDetector(null), ["output.decoder is required"]),
        // What already held: checksums, names, sources, labels, JSON.
        ["sha-wrong"] = (c => c.File()["sha256"] = new string('0', 64), ["SHA-256"]),
        ["sha-malformed"] = (c => c.File()["sha256"] = "abc", ["sha256"]),
        ["file-name-traversal"] = (c => c.File()["name"] = "../../model.onnx", ["plain file name"]),
        ["file-name-absolute"] = (c => c.File()["name"] = "/etc/passwd", ["plain file name"]),
        ["file-source-missing"] = (c => c.File()["source"] = "file:" + Path.Combine(c.Folder, "nowhere.onnx"), ["nowhere.onnx"]),
        ["file-source-unknown-scheme"] = (c => c.File()["source"] = "gopher://example/model.onnx", ["source"]),
        ["labels-file-traversal"] = (c => c.MakeClassifier("file:../../../etc/passwd"), ["labels.source", "names no file"]),
        ["labels-builtin-unknown"] = (c => c.MakeClassifier("builtin:imagenet99k"), ["imagenet99k"]),
        ["preprocess-not-a-card-file"] = (c => c.Input()["preprocessGraph"] = "../../etc/passwd", ["../../etc/passwd"]),
        ["task-unknown"] = (c => c.Root["task"] = "mind-reading", ["task"]),
        ["task-number"] = (c => c.Root["task"] = 7.5, ["task"]),
        ["files-not-array"] = (c => c.Root["files"] = "model.onnx", ["files"]),
        ["input-width-negative"] = (c => c.Input()["width"] = -8, ["input.width"]),
        ["input-std-zero"] = (c => c.Input()["std"] = new JsonArray(0, 0, 0), ["input.std"]),
        ["card-not-json"] = (c => c.RawText = "{ \"handle\": \"local/broken\", ", ["card.json"]),
        ["card-json-null"] = (c => c.RawText = "null", ["card.json"]),
    };

    /// <summary>Cases whose model file is intact and verified; only the card's description of the model is wrong.</summary>
    private static readonly HashSet<string> SoundFile = ["output-size-wrong"];

    public static TheoryData<string> CaseNames() => new(Cases.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Hostile_user_card_ends_in_a_clean_error_and_nothing_is_stored(string name)
    {
        using var home = new TempHome();
        var card = new UserCard(home.Path);
        var (breakIt, mentions) = Cases[name];
        breakIt(card);
        card.Save(home.Settings());
        var output = Path.Combine(home.Path, "out", "features.json");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);

        var result = ModelInputCorpus.Run(home.Settings(), "embed", card.Handle, TestAssets.RepoRoot + "/samples/dog.jpg", "--out", output);

        log.WriteLine(ModelInputCorpus.AssertCleanError(result, mentions));
        Assert.False(File.Exists(output), "features were written from a broken card");
        if (SoundFile.Contains(name))
        {
            return; // the file itself is right (hash and size verified), so the store may keep it
        }
        var stored = Path.Combine(home.Path, "models");
        Assert.True(!Directory.Exists(stored) || Directory.GetFiles(stored, "*.onnx", SearchOption.AllDirectories).Length == 0,
            "the model of a broken card was left in the store");
    }

    [Fact]
    public void The_unbroken_card_of_the_corpus_embeds()
    {
        using var home = new TempHome();
        var card = new UserCard(home.Path);
        card.Save(home.Settings());
        var output = Path.Combine(home.Path, "features.json");

        var result = ModelInputCorpus.Run(home.Settings(), "embed", card.Handle, TestAssets.RepoRoot + "/samples/dog.jpg", "--out", output);

        Assert.True(result.ExitCode == 0, result.AllText);
        Assert.True(File.Exists(output));
    }

    [Fact]
    public void Registering_a_card_with_an_unknown_decoder_is_refused()
    {
        using var home = new TempHome();
        var catalog = ModelCatalog.Load(home.Settings());
        var card = ModelCatalog.LoadBuiltin().Cards.First(c => c.Task == ModelTask.ObjectDetection && c.Output?.Decoder == "nanodet");
        var broken = card with { Handle = "local/broken", Output = card.Output! with { Decoder = "yolov99" } };

        var ex = Assert.Throws<InvalidModelCardException>(() => catalog.Register(broken, home.Settings()));

        Assert.Contains("output.decoder 'yolov99'", ex.Message);
        Assert.Empty(Directory.Exists(ModelCatalog.UserFolder(home.Settings())) ? Directory.GetFiles(ModelCatalog.UserFolder(home.Settings())) : []);
    }

    /// <summary>The generated model and its card as editable JSON.</summary>
    private sealed class UserCard
    {
        public UserCard(string home)
        {
            Folder = Path.Combine(home, "src");
            var card = MeanColorModel.Write(Folder, Handle);
            ModelBytes = card.ModelFile.Size;
            Root = JsonNode.Parse(ModelCardJson.Serialize(card))!.AsObject();
        }

        public string Handle => "local/mean-color";

        public string Folder { get; }

        public long ModelBytes { get; }

        public JsonObject Root { get; }

        public string? RawText { get; set; }

        public JsonObject File() => Root["files"]![0]!.AsObject();

        public JsonObject Output() => Root["output"]!.AsObject();

        public JsonObject Input() => Root["input"]!.AsObject();

        public void MakeDetector(string? decoder)
        {
            Root["task"] = "object-detection";
            Root["output"] = decoder is null ? new JsonObject { ["kind"] = "raw" } : new JsonObject { ["kind"] = "raw", ["decoder"] = decoder };
            Root["labels"] = new JsonObject { ["source"] = "builtin:coco80" };
        }

        public void MakePose(string decoder)
        {
            Root["task"] = "pose-estimation";
            Root["output"] = new JsonObject { ["kind"] = "raw", ["decoder"] = decoder };
        }

        public void MakeClassifier(string labels)
        {
            Root["task"] = "image-classification";
            Root["output"] = new JsonObject { ["kind"] = "logits" };
            Root["labels"] = new JsonObject { ["source"] = labels };
        }

        public void Save(ZooSettings settings)
        {
            var folder = ModelCatalog.UserFolder(settings);
            Directory.CreateDirectory(folder);
            System.IO.File.WriteAllText(Path.Combine(folder, "card.json"), RawText ?? Root.ToJsonString());
        }
    }
}
