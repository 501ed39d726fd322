using System.Text.Json;
using ModelZoo.Catalog;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Cli.Tests.Infrastructure;

/// <summary>Commands that take a HANDLE also take a model file: an .onnx (including cuts and imports the CLI wrote)
/// or a TFJS model.json or a .tflite file, the card inferred from the graph.</summary>
public sealed class LocalModelFileTests
{
    private static string MobileNetFile => TestAssets.SharedTestData("imagenet/mobilenetv2-12-int8.onnx");

    private static List<(string Label, double Score)> Predictions(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Assert.Single(doc.RootElement.EnumerateArray().ToList()).GetProperty("predictions").EnumerateArray()
            .Select(p => (p.GetProperty("label").GetString()!, p.GetProperty("score").GetDouble())).ToList();
    }

    /// <summary>A folder in <paramref name="home"/> holding copies of the named Darknet sample photos.</summary>
    private static string PhotoFolder(TempHome home, params string[] names)
    {
        var photos = Path.Combine(home.Path, "photos");
        Directory.CreateDirectory(photos);
        foreach (var name in names)
        {
            File.Copy(TestAssets.Image("darknet/" + name), Path.Combine(photos, name));
        }
        return photos;
    }

    [Fact]
    public async Task Classify_of_the_onnx_file_with_a_synset_file_matches_the_catalog_card_of_the_same_model()
    {
        using var home = new TempHome();
        await MobileNetStore.PullAsync(home.Settings());
        var dog = TestAssets.Image("darknet/dog.jpg");
        var synset = TestAssets.SharedTestData("imagenet/synset.txt");

        var local = CliRunner.Run(home.Settings(offline: true), "classify", MobileNetFile, "--labels", synset, dog, "--top", "5", "--json");
        var catalog = CliRunner.Run(home.Settings(offline: true), "classify", MobileNetStore.Handle, dog, "--top", "5", "--json");

        Assert.True(local.ExitCode == 0, local.AllText);
        Assert.True(catalog.ExitCode == 0, catalog.AllText);
        var fromFile = Predictions(local.Output);
        var fromCard = Predictions(catalog.Output);
        Assert.Equal(5, fromFile.Count);
        Assert.Equal(fromCard.Select(p => p.Label), fromFile.Select(p => p.Label));
        Assert.All(fromFile.Zip(fromCard), p => Assert.Equal(p.Second.Score, p.First.Score, 4));
        // The synset file's first name per line, not its WordNet id.
        Assert.DoesNotContain(fromFile, p => p.Label.StartsWith('n') && p.Label.Length == 9 && p.Label[1..].All(char.IsDigit));
        Assert.Contains("assumed:", local.Status);

        var table = CliRunner.Run(home.Settings(offline: true), "classify", MobileNetFile, "--labels", synset, dog, "--top", "5");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains(fromFile[0].Label, table.Console);
    }

    [Fact]
    public void Batch_run_of_a_model_file_with_its_flags_gives_what_classify_of_the_file_gives()
    {
        using var home = new TempHome();
        var settings = home.Settings(offline: true);
        var synset = TestAssets.SharedTestData("imagenet/synset.txt");
        var photos = PhotoFolder(home, "dog.jpg", "horses.jpg", "eagle.jpg");
        var output = Path.Combine(home.Path, "out");

        var shard = CliRunner.Run(settings, "batch", "run", MobileNetFile, photos, "--labels", synset, "--task", "classify", "--shard", "0/1", "--out", output);
        var classify = CliRunner.Run(settings, "classify", MobileNetFile, photos, "--labels", synset, "--json");

        Assert.True(shard.ExitCode == 0, shard.AllText);
        Assert.True(classify.ExitCode == 0, classify.AllText);
        Assert.Contains("3 done", shard.Console, StringComparison.Ordinal);
        using var expected = JsonDocument.Parse(classify.Output);
        var best = expected.RootElement.EnumerateArray().ToDictionary(
            r => Path.GetFileName(r.GetProperty("image").GetString()!), r => r.GetProperty("predictions")[0].GetProperty("label").GetString());
        var rows = File.ReadAllLines(Assert.Single(Directory.GetFiles(output, "*.jsonl"))).Select(line => JsonDocument.Parse(line)).ToList();
        Assert.Equal(3, rows.Count);
        foreach (var row in rows)
        {
            var text = row.RootElement.GetRawText();
            var image = best.Keys.Single(name => text.Contains(name, StringComparison.Ordinal));
            Assert.Contains($"\"label\":\"{best[image]}\"", text, StringComparison.Ordinal);
            row.Dispose();
        }
    }

    [Fact]
    public void Embed_of_a_headless_cut_embeds_a_folder_and_card_new_registers_the_same_model()
    {
        using var home = new TempHome();
        var cut = Path.Combine(home.Path, "cut.onnx");
        var photos = PhotoFolder(home, "dog.jpg", "horses.jpg");
        var settings = home.Settings(offline: true);
        // The fixture is the catalog's own MobileNet file, which is cut as its card says; saved again, it is a file
        // nobody described, and so is its cut.
        var bare = Path.Combine(home.Path, "mobilenet-bare.onnx");
        var graph = ModelZoo.Onnx.OnnxModel.Load(MobileNetFile);
        graph.Metadata["saved.by"] = "a test";
        graph.Save(bare);
        Assert.Equal(0, CliRunner.Run(settings, "headless", bare, "--out", cut).ExitCode);

        var embed = CliRunner.Run(settings, "embed", cut, photos);

        Assert.True(embed.ExitCode == 0, embed.AllText);
        using var doc = JsonDocument.Parse(embed.Output);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(["dog.jpg", "horses.jpg"], rows.Select(r => Path.GetFileName(r.GetProperty("image").GetString())));
        var vectors = rows.Select(r => r.GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToList();
        Assert.All(vectors, v => Assert.Equal(1280, v.Length));
        Assert.All(vectors, v => Assert.True(v.All(float.IsFinite) && v.Any(x => x > 0)));
        Assert.True(Cosine(vectors[0], vectors[1]) < 0.95, "two different photos should not embed alike");

        // A file that does not name its task needs --task.
        var untold = CliRunner.Run(settings, "card", "new", cut, "--handle", "local/mobilenet-cut");
        Assert.Equal(2, untold.ExitCode);
        Assert.Contains("--task", untold.AllText, StringComparison.Ordinal);

        var registered = CliRunner.Run(settings, "card", "new", cut, "--task", "image-feature-vector", "--handle", "local/mobilenet-cut");
        Assert.True(registered.ExitCode == 0, registered.AllText);
        var card = ModelCatalog.Load(settings).Get("local/mobilenet-cut");
        Assert.Equal(ModelTask.ImageFeatureVector, card.Task);
        Assert.Equal(1280, card.Output!.Size);
        Assert.Equal(TensorLayout.Nchw, card.Input!.Layout);
        Assert.Equal((224, 224), (card.Input.Width, card.Input.Height));
        var again = CliRunner.Run(settings, "embed", "local/mobilenet-cut", Path.Combine(photos, "dog.jpg"));
        Assert.True(again.ExitCode == 0, again.AllText);
        using var againDoc = JsonDocument.Parse(again.Output);
        Assert.Equal(vectors[0], againDoc.RootElement[0].GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()).ToArray());
        var listed = CliRunner.Run(settings, "list", "local");
        Assert.Contains("local/mobilenet-cut", listed.Console);
        Assert.Contains("file", listed.Console);
    }

    [Fact]
    public void Pose_runs_an_imported_tfjs_model_and_its_model_json_as_the_catalog_card_does()
    {
        using var home = new TempHome();
        var movenet = HumanVisionModels.Pull("body/movenet/lightning");
        var astronaut = TestAssets.Image("skimage/astronaut.png");
        var onnx = Path.Combine(home.Path, "movenet.onnx");
        var settings = home.Settings(offline: true);
        var import = CliRunner.Run(settings, "import", "tfjs", movenet.ModelPath, "--out", onnx);
        Assert.True(import.ExitCode == 0, import.AllText);

        var fromCard = CliRunner.Run(SharedStore.Settings, "pose", "body/movenet/lightning", astronaut, "--json");
        var fromOnnx = CliRunner.Run(settings, "pose", onnx, "--decoder", "movenet", astronaut, "--json");
        var fromJson = CliRunner.Run(settings, "pose", movenet.ModelPath, "--decoder", "movenet", astronaut, "--json");

        Assert.True(fromCard.ExitCode == 0, fromCard.AllText);
        Assert.True(fromOnnx.ExitCode == 0, fromOnnx.AllText);
        Assert.True(fromJson.ExitCode == 0, fromJson.AllText);
        var expected = Keypoints(fromCard.Output);
        Assert.Equal(17, expected.Count);
        Assert.Equal(expected, Keypoints(fromOnnx.Output));
        Assert.Equal(expected, Keypoints(fromJson.Output));
    }

    [Fact]
    public void Import_tfjs_with_task_flags_writes_an_onnx_that_runs_with_no_flags_as_the_catalog_card_does()
    {
        using var home = new TempHome();
        const string Handle = "body/movenet/lightning";
        // Written again, indented: the same model, but not the catalog's file, so nothing is known of it.
        var json = HumanVisionModels.CopyFiles(Handle, Path.Combine(home.Path, "movenet"));
        File.WriteAllText(json, System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(json))!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        var settings = home.Settings(offline: true);
        var astronaut = TestAssets.Image("skimage/astronaut.png");
        var untold = Path.Combine(home.Path, "untold.onnx");
        var described = Path.Combine(home.Path, "described.onnx");

        var unknown = CliRunner.Run(settings, "info", json);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains($"zoo import tfjs {json} --task TASK", System.Text.RegularExpressions.Regex.Replace(unknown.AllText, @"\s+", " "), StringComparison.Ordinal);
        var noTask = CliRunner.Run(settings, "import", "tfjs", json, "--decoder", "movenet", "--out", untold);
        var import = CliRunner.Run(settings, "import", "tfjs", json, "--task", "pose-estimation", "--decoder", "movenet", "--license", "Apache-2.0", "--out", described);

        Assert.Equal(2, noTask.ExitCode);
        Assert.Contains("--task", noTask.AllText, StringComparison.Ordinal);
        Assert.False(File.Exists(untold), "nothing is written when the flags cannot describe the model");
        Assert.True(import.ExitCode == 0, import.AllText);
        Assert.DoesNotContain("known model", import.AllText, StringComparison.Ordinal);
        Assert.Contains("described:", import.Console, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(home.Path, "*.tmp"));
        var fromCard = CliRunner.Run(SharedStore.Settings, "pose", Handle, astronaut, "--json");
        var fromFile = CliRunner.Run(settings, "pose", described, astronaut, "--json");
        Assert.True(fromFile.ExitCode == 0, fromFile.AllText);
        Assert.Equal(Keypoints(fromCard.Output), Keypoints(fromFile.Output));
        using var info = JsonDocument.Parse(CliRunner.Run(settings, "info", described, "--json").Output);
        Assert.Equal("pose-estimation", info.RootElement.GetProperty("task").GetString());
        Assert.Equal("Apache-2.0", info.RootElement.GetProperty("license").GetProperty("spdx").GetString());
    }

    [Fact]
    public async Task Segment_runs_a_tflite_file_as_the_catalog_card_of_the_same_file_does()
    {
        using var home = new TempHome();
        var settings = SharedStore.Settings;
        var card = ModelCatalog.Load(settings).Get("segmentation/mediapipe_selfie/general");
        using var store = new ModelZoo.Store.ModelStore(settings);
        var tflite = (await store.OpenAsync(card)).ModelPath;
        var astronaut = TestAssets.Image("skimage/astronaut.png");

        var fromCard = CliRunner.Run(settings, "segment", card.Handle, astronaut, "--json");
        var fromFile = CliRunner.Run(home.Settings(offline: true), "segment", tflite, "--decoder", "selfie", astronaut, "--json");

        Assert.True(fromCard.ExitCode == 0, fromCard.AllText);
        Assert.True(fromFile.ExitCode == 0, fromFile.AllText);
        static double Coverage(string json)
        {
            using var doc = JsonDocument.Parse(json);
            return Assert.Single(Assert.Single(doc.RootElement.EnumerateArray().ToList()).GetProperty("masks").EnumerateArray().ToList())
                .GetProperty("coverage").GetDouble();
        }
        Assert.InRange(Coverage(fromCard.Output), 0.3, 0.8);
        Assert.Equal(Coverage(fromCard.Output), Coverage(fromFile.Output));
        Assert.Single(Directory.GetFiles(Path.Combine(home.Path, "imported"), "*.onnx"));
    }

    [Fact]
    public void Train_on_a_classifier_file_registers_it_as_the_base_and_the_trained_model_classifies()
    {
        using var home = new TempHome();
        var settings = home.Settings(offline: true);
        var data = TuxpaintDataset.Create(Path.Combine(home.Path, "tux"), perClass: 6, classes: 2);

        var train = CliRunner.Run(settings, "train", "--base", MobileNetFile, "--data", data, "--out", Path.Combine(home.Path, "run"),
            "--epochs", "8", "--lr", "0.01", "--val-split", "0", "--name", "local/tux-on-cut");

        Assert.True(train.ExitCode == 0, train.AllText);
        Assert.Contains("registered", train.Status);
        Assert.True(ModelCatalog.Load(settings).TryGet("local/mobilenetv2-12-int8", out _));
        Assert.DoesNotContain("class scores", train.Status);
        var image = Directory.GetFiles(Directory.GetDirectories(data).Order().First()).Order().First();
        var classify = CliRunner.Run(settings, "classify", "local/tux-on-cut", image, "--json", "--top", "1");
        Assert.True(classify.ExitCode == 0, classify.AllText);
        using var doc = JsonDocument.Parse(classify.Output);
        Assert.Equal(Path.GetFileName(Path.GetDirectoryName(image)), doc.RootElement[0].GetProperty("predictions")[0].GetProperty("label").GetString());
    }

    [Fact]
    public void A_copy_of_a_catalog_model_file_runs_as_its_card_with_no_flags()
    {
        using var home = new TempHome();
        var astronaut = TestAssets.Image("skimage/astronaut.png");
        const string Handle = "face/blazeface/front_128";
        var copy = Path.Combine(home.Path, "my-face-detector.onnx");
        File.Copy(HumanVisionModels.Pull(Handle).ModelPath, copy);

        // A fresh, offline home: the card's file comes from the copy itself.
        var fromFile = CliRunner.Run(home.Settings(offline: true), "faces", copy, astronaut, "--json");
        var fromHandle = CliRunner.Run(SharedStore.Settings, "faces", Handle, astronaut, "--json");

        Assert.True(fromFile.ExitCode == 0, fromFile.AllText);
        Assert.True(fromHandle.ExitCode == 0, fromHandle.AllText);
        Assert.Equal(fromHandle.Output, fromFile.Output);
        Assert.NotEmpty(JsonDocument.Parse(fromFile.Output).RootElement[0].GetProperty("faces").EnumerateArray());
        Assert.Contains($"is the file of {Handle}", System.Text.RegularExpressions.Regex.Replace(fromFile.Status, @"\s+", " "), StringComparison.Ordinal);
        Assert.DoesNotContain("assumed:", fromFile.Status, StringComparison.Ordinal);

        // verify checks the copy against the card's SHA-256, and a damaged copy fails.
        var verified = CliRunner.Run(home.Settings(offline: true), "verify", copy);
        Assert.True(verified.ExitCode == 0, verified.AllText);
        Assert.Contains($"the file of {Handle}", System.Text.RegularExpressions.Regex.Replace(verified.Console, @"\s+", " "), StringComparison.Ordinal);
        var damaged = Path.Combine(home.Path, "damaged-face-detector.onnx");
        var bytes = File.ReadAllBytes(copy);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(damaged, bytes);
        var failed = CliRunner.Run(home.Settings(offline: true), "verify", damaged);
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("no catalog card has this file", System.Text.RegularExpressions.Regex.Replace(failed.AllText, @"\s+", " "), StringComparison.Ordinal);
        Assert.Contains($"the size of the model file of {Handle}", System.Text.RegularExpressions.Regex.Replace(failed.AllText, @"\s+", " "), StringComparison.Ordinal);

        // Flags mean the user describes the file: then nothing is taken from the card.
        var described = CliRunner.Run(home.Settings(offline: true), "faces", copy, astronaut, "--decoder", "blazeface", "--json");
        Assert.True(described.ExitCode == 0, described.AllText);
        Assert.DoesNotContain("is the file of", described.Status, StringComparison.Ordinal);

        // card new needs no --task for it, and the registered card runs as the catalog's.
        var register = CliRunner.Run(home.Settings(offline: true), "card", "new", copy, "--handle", "local/my-face-detector");
        Assert.True(register.ExitCode == 0, register.AllText);
        Assert.Contains("registered local/my-face-detector (face-detection", register.Console, StringComparison.Ordinal);
        var byNewHandle = CliRunner.Run(home.Settings(offline: true), "faces", "local/my-face-detector", astronaut, "--json");
        Assert.True(byNewHandle.ExitCode == 0, byNewHandle.AllText);
        Assert.Equal(fromHandle.Output, byNewHandle.Output);
        var info = CliRunner.Run(home.Settings(offline: true), "info", "local/my-face-detector", "--json");
        Assert.Equal(
            JsonDocument.Parse(CliRunner.Run(SharedStore.Settings, "info", Handle, "--json").Output).RootElement.GetProperty("license").GetRawText(),
            JsonDocument.Parse(info.Output).RootElement.GetProperty("license").GetRawText());
    }

    [Fact]
    public void A_tfjs_model_json_with_its_shards_as_the_package_ships_them_runs_as_its_card()
    {
        using var home = new TempHome();
        const string Handle = "body/movenet/lightning";
        var astronaut = TestAssets.Image("skimage/astronaut.png");
        var json = HumanVisionModels.CopyFiles(Handle, Path.Combine(home.Path, "models"));
        var folder = Path.GetDirectoryName(json)!;

        var fromFile = CliRunner.Run(home.Settings(offline: true), "pose", json, astronaut, "--json");
        var fromHandle = CliRunner.Run(SharedStore.Settings, "pose", Handle, astronaut, "--json");
        Assert.True(fromFile.ExitCode == 0, fromFile.AllText);
        Assert.Equal(fromHandle.Output, fromFile.Output);
        Assert.Contains("known model:", fromFile.Status, StringComparison.Ordinal);

        // Imported, the .onnx carries the card's description and runs the same, with no flags.
        var onnx = Path.Combine(home.Path, "movenet.onnx");
        var import = CliRunner.Run(home.Settings(offline: true), "import", "tfjs", json, "--out", onnx);
        Assert.True(import.ExitCode == 0, import.AllText);
        Assert.Contains($"the file of {Handle}", import.Console, StringComparison.Ordinal);
        var fromImport = CliRunner.Run(home.Settings(offline: true), "pose", onnx, astronaut, "--json");
        Assert.True(fromImport.ExitCode == 0, fromImport.AllText);
        Assert.Equal(fromHandle.Output, fromImport.Output);
        Assert.DoesNotContain("assumed:", fromImport.Status, StringComparison.Ordinal);
        static string License(CliRunner.Result result) => JsonDocument.Parse(result.Output).RootElement.GetProperty("license").GetRawText();
        Assert.Equal(License(CliRunner.Run(SharedStore.Settings, "info", Handle, "--json")),
            License(CliRunner.Run(home.Settings(offline: true), "info", onnx, "--json")));

        // A shard that is not the card's makes it a file nobody described: the graph's guesses and their questions.
        var shard = Path.Combine(folder, HumanVisionModels.Pull(Handle).Card.Files.First(f => f.Role != "model").Name);
        var bytes = File.ReadAllBytes(shard);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(shard, bytes);
        var changed = CliRunner.Run(home.Settings(offline: true), "pose", json, astronaut, "--json");
        Assert.DoesNotContain("known model:", changed.AllText, StringComparison.Ordinal);
        Assert.Equal(2, changed.ExitCode);
        Assert.Contains("--decoder", changed.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public void Card_new_of_a_text_models_own_files_registers_it_with_its_card()
    {
        using var home = new TempHome();
        var cached = HumanVisionModels.Pull("text/all-minilm-l6-v2/embedding");
        var model = HumanVisionModels.CopyFiles(cached.Card.Handle, Path.Combine(home.Path, "minilm"));

        var register = CliRunner.Run(home.Settings(offline: true), "card", "new", model, "--handle", "local/my-minilm");
        Assert.True(register.ExitCode == 0, register.AllText);
        Assert.Contains("registered local/my-minilm (text-embedding)", register.Console, StringComparison.Ordinal);
        var own = CliRunner.Run(home.Settings(offline: true), "embed-text", "local/my-minilm", "Hello world.", "--json");
        var catalog = CliRunner.Run(SharedStore.Settings, "embed-text", cached.Card.Handle, "Hello world.", "--json");
        Assert.True(own.ExitCode == 0, own.AllText);
        Assert.Equal(catalog.Output, own.Output);

        // The files themselves, unregistered, run as the catalog card too.
        var byFile = CliRunner.Run(home.Settings(offline: true), "embed-text", "--model", model, "Hello world.", "--json");
        Assert.True(byFile.ExitCode == 0, byFile.AllText);
        Assert.Equal(catalog.Output, byFile.Output);
    }

    [Fact]
    public void Model_file_errors_say_what_to_give()
    {
        using var home = new TempHome();
        var settings = home.Settings(offline: true);
        var dog = TestAssets.Image("darknet/dog.jpg");
        // The catalog's own file would run as its card (CatalogTwin); the same graph saved again is a file nobody described.
        var face = Path.Combine(home.Path, "unknown-face.onnx");
        var graph = ModelZoo.Onnx.OnnxModel.Load(HumanVisionModels.Pull("face/blazeface/front_128").ModelPath);
        graph.Metadata["saved.by"] = "a test";
        graph.Save(face);

        var unknownInfo = CliRunner.Run(settings, "info", face);
        Assert.Equal(2, unknownInfo.ExitCode);
        Assert.Contains("neither a catalog model's file nor one that describes itself", System.Text.RegularExpressions.Regex.Replace(unknownInfo.AllText, @"\s+", " "), StringComparison.Ordinal);

        // A damaged file is reported as damaged, not as one that says nothing of itself.
        var truncated = Path.Combine(home.Path, "truncated.onnx");
        File.WriteAllBytes(truncated, File.ReadAllBytes(face)[..4000]);
        var damagedInfo = CliRunner.Run(settings, "info", truncated);
        Assert.NotEqual(0, damagedInfo.ExitCode);
        Assert.Contains("is not an ONNX model", System.Text.RegularExpressions.Regex.Replace(damagedInfo.AllText, @"\s+", " "), StringComparison.Ordinal);
        Assert.DoesNotContain("describes itself", damagedInfo.AllText, StringComparison.Ordinal);

        var noDecoder = CliRunner.Run(settings, "faces", face, dog);
        Assert.Equal(2, noDecoder.ExitCode);
        Assert.Contains("--decoder", noDecoder.AllText);
        Assert.Contains("blazeface", noDecoder.AllText);

        var badDecoder = CliRunner.Run(settings, "faces", face, "--decoder", "yolov8", dog);
        Assert.Equal(2, badDecoder.ExitCode);
        Assert.Contains("'yolov8' is not a face-detection decoder", badDecoder.AllText);

        var handleWithLabels = CliRunner.Run(settings, "classify", MobileNetStore.Handle, "--labels", "x.txt", dog);
        Assert.Equal(2, handleWithLabels.ExitCode);
        Assert.Contains("describe a model file", handleWithLabels.AllText);

        var missing = CliRunner.Run(settings, "embed", Path.Combine(home.Path, "nope.onnx"), dog);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("does not exist", missing.AllText);

        var classifierScores = CliRunner.Run(settings, "embed", MobileNetFile, dog);
        Assert.Equal(0, classifierScores.ExitCode);
        Assert.Contains("zoo headless", classifierScores.Status);
    }

    private static List<(string, double, double)> Keypoints(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var pose = doc.RootElement[0].GetProperty("poses")[0];
        return pose.GetProperty("keypoints").EnumerateArray()
            .Select(k => (k.GetProperty("name").GetString()!, k.GetProperty("x").GetDouble(), k.GetProperty("y").GetDouble())).ToList();
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.Sqrt(na * nb);
    }
}
