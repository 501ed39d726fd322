using System.Text.Json;
using ModelZoo.Catalog;
using ModelZoo.Store;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Cli.Tests.Commands;

public sealed class TrainCommandTests
{
    private const string ResNet = "imagenet/resnet18/feature_vector";
    private const string Int8Handle = "local/tux-cli-int8";

    private static string Folder(TempHome home, string name) => Path.Combine(home.Path, name);

    [Fact]
    public void A_single_class_folder_exits_1_with_the_reason()
    {
        using var home = new TempHome();
        var data = TuxpaintDataset.Create(Folder(home, "one"), perClass: 2, classes: 1);
        var result = CliRunner.Run(home.Settings(offline: true), "train", "--base", ResNet, "--data", data, "--out", Folder(home, "out"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("a classifier needs at least 2", result.AllText);
    }

    [Fact]
    public void A_class_with_one_image_exits_1_naming_the_class()
    {
        using var home = new TempHome();
        var data = TuxpaintDataset.Create(Folder(home, "two"), perClass: 2, classes: 2);
        File.Delete(Directory.GetFiles(Path.Combine(data, "flowers")).Order().First());
        var result = CliRunner.Run(home.Settings(offline: true), "train", "--base", ResNet, "--data", data, "--out", Folder(home, "out"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'flowers' has 1 usable image", result.AllText);
    }

    [Fact]
    public void A_missing_data_folder_exits_1_and_nothing_is_downloaded()
    {
        using var home = new TempHome();
        var result = CliRunner.Run(home.Settings(offline: true), "train", "--base", ResNet, "--data", Folder(home, "nowhere"), "--out", Folder(home, "out"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no dataset at", result.AllText);
        Assert.False(Directory.Exists(Path.Combine(home.Path, "models")));
    }

    [Theory]
    [InlineData("--augment", "heavy", "--augment must be none, light or strong")]
    [InlineData("--head", "deep", "--head must be linear or mlp")]
    [InlineData("--optimizer", "rmsprop", "--optimizer must be adam or sgd")]
    public void Bad_choices_are_usage_errors(string option, string value, string message)
    {
        using var home = new TempHome();
        var result = CliRunner.Run(home.Settings(offline: true), "train", "--base", ResNet, "--data", home.Path, "--out", Folder(home, "out"), option, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.AllText);
    }

    [Fact]
    public void Unfreeze_and_unfreeze_from_together_are_a_usage_error()
    {
        using var home = new TempHome();
        var result = CliRunner.Run(home.Settings(offline: true), "train", "--base", ResNet, "--data", home.Path, "--out", Folder(home, "out"),
            "--unfreeze", "2", "--unfreeze-from", "ReLU379_Output_0");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("only one of --unfreeze N and --unfreeze-from TENSOR", result.AllText);
    }

    [Fact]
    public void Unfreeze_zero_is_a_usage_error()
    {
        using var home = new TempHome();
        var result = CliRunner.Run(home.Settings(offline: true), "train", "--base", ResNet, "--data", home.Path, "--out", Folder(home, "out"), "--unfreeze", "0");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--unfreeze must be 1 or more", result.AllText);
    }

    [Fact]
    public void Train_with_unfreeze_2_fine_tunes_the_last_block_and_the_model_classifies()
    {
        var settings = SharedStore.Settings;
        var work = Path.Combine(Path.GetTempPath(), "zoo-cli-finetune-" + Guid.NewGuid().ToString("N")[..8]);
        var data = TuxpaintDataset.Create(Path.Combine(work, "tux-finetune-cli"), perClass: 6);
        var handle = "local/tux-finetune-cli";
        try
        {
            var train = CliRunner.Run(settings, "train", "--base", ResNet, "--data", data, "--out", Path.Combine(work, "run"), "--epochs", "8", "--lr", "0.01",
                "--unfreeze", "2", "--finetune-epochs", "1", "--finetune-lr", "0.0001", "--val-split", "0");
            Assert.True(train.ExitCode == 0, train.AllText);
            Assert.Contains("fine-tuned", train.AllText);
            Assert.Contains("ReLU379_Output_0", train.AllText);
            Assert.Contains("time per fine-tuning epoch", train.AllText);

            var image = Directory.GetFiles(Path.Combine(data, "roadsigns")).Order().First();
            var classify = CliRunner.Run(settings, "classify", handle, image, "--json", "--top", "1");
            Assert.True(classify.ExitCode == 0, classify.AllText);
            using var doc = JsonDocument.Parse(classify.Output);
            Assert.Equal("roadsigns", doc.RootElement[0].GetProperty("predictions")[0].GetProperty("label").GetString());
        }
        finally
        {
            Forget(settings, handle);

            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    [Fact]
    public void Missing_data_option_is_a_usage_error()
    {
        using var home = new TempHome();
        var result = CliRunner.Run(home.Settings(offline: true), "train", "--base", ResNet, "--out", Folder(home, "out"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--data", result.AllText);
    }

    [Fact]
    public void Train_then_classify_and_evaluate_the_registered_model()
    {
        // The shared store holds ResNet-18 (pulled once from the real feed); the trained card is removed at the end.
        var settings = SharedStore.Settings;
        var work = Path.Combine(Path.GetTempPath(), "zoo-cli-train-" + Guid.NewGuid().ToString("N")[..8]);
        var data = TuxpaintDataset.Create(Path.Combine(work, "tux-cli"), perClass: 10);
        var handle = "local/tux-cli";
        var outDir = Path.Combine(work, "run");
        try
        {
            // --force: a run killed before its cleanup leaves this card behind in the shared store.
            var train = CliRunner.Run(settings, "train", "--base", ResNet, "--data", data, "--out", outDir, "--epochs", "12", "--lr", "0.01", "--force");
            Assert.True(train.ExitCode == 0, train.AllText);
            Assert.Contains($"report: {Path.Combine(outDir, "report.html")}", train.AllText);
            Assert.Contains("validation accuracy", train.AllText);
            Assert.Contains(handle, train.AllText);
            Assert.True(File.Exists(Path.Combine(outDir, "report.html")));

            var image = Directory.GetFiles(Path.Combine(data, "roadsigns")).Order().First();
            var classify = CliRunner.Run(settings, "classify", handle, image, "--json", "--top", "2");
            Assert.True(classify.ExitCode == 0, classify.AllText);
            using (var doc = JsonDocument.Parse(classify.Output))
            {
                var predictions = doc.RootElement[0].GetProperty("predictions");
                Assert.Equal(2, predictions.GetArrayLength());
                Assert.Equal("roadsigns", predictions[0].GetProperty("label").GetString());
            }

            var classifyFile = CliRunner.Run(settings, "classify", Path.Combine(outDir, "model.onnx"), image, "--json");
            Assert.True(classifyFile.ExitCode == 0, classifyFile.AllText);
            using (var doc = JsonDocument.Parse(classifyFile.Output))
            {
                Assert.Equal("roadsigns", doc.RootElement[0].GetProperty("predictions")[0].GetProperty("label").GetString());
            }

            var evalDir = Path.Combine(work, "eval");
            var evaluate = CliRunner.Run(settings, "evaluate", handle, "--data", data, "--json", "--out", evalDir);
            Assert.True(evaluate.ExitCode == 0, evaluate.AllText);
            using (var doc = JsonDocument.Parse(evaluate.Output))
            {
                var root = doc.RootElement;
                var labels = root.GetProperty("labels").EnumerateArray().Select(e => e.GetString()!).ToList();
                Assert.Equal(["birds", "flowers", "fruit", "houses", "roadsigns"], labels);
                Assert.InRange(root.GetProperty("accuracy").GetDouble(), 0.8, 1.0);
                var perClass = root.GetProperty("per_class");
                foreach (var label in labels)
                {
                    var m = perClass.GetProperty(label);
                    Assert.InRange(m.GetProperty("precision").GetDouble(), 0, 1);
                    Assert.InRange(m.GetProperty("recall").GetDouble(), 0, 1);
                    Assert.InRange(m.GetProperty("f1").GetDouble(), 0, 1);
                    Assert.Equal(10, m.GetProperty("support").GetInt32());
                }
                var confusion = root.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt32()).ToArray()).ToList();
                Assert.Equal(5, confusion.Count);
                Assert.All(confusion, row => Assert.Equal(5, row.Length));
                Assert.Equal(50, confusion.Sum(r => r.Sum()));
                Assert.All(Enumerable.Range(0, 5), i => Assert.Equal(10, confusion[i].Sum()));
            }
            Assert.True(new FileInfo(Path.Combine(evalDir, "grid.png")).Length > 0);
            Assert.True(new FileInfo(Path.Combine(evalDir, "confusion.png")).Length > 0);

            // The trained model file alone works where the handle does, with the same figures: it carries its input spec
            // and labels, so nothing is assumed (a bare NCHW file would be read as ImageNet-normalised).
            var byFile = CliRunner.Run(settings, "evaluate", Path.Combine(outDir, "model.onnx"), "--data", data, "--json");
            Assert.True(byFile.ExitCode == 0, byFile.AllText);
            Assert.DoesNotContain("assumed", byFile.AllText, StringComparison.Ordinal);
            using (var byHandle = JsonDocument.Parse(evaluate.Output))
            using (var doc = JsonDocument.Parse(byFile.Output))
            {
                Assert.Equal(byHandle.RootElement.GetProperty("accuracy").GetDouble(), doc.RootElement.GetProperty("accuracy").GetDouble());
                Assert.Equal(byHandle.RootElement.GetProperty("confusion").ToString(), doc.RootElement.GetProperty("confusion").ToString());
            }

            // Copied anywhere, the file is quantized on its own description, and the int8 file it gives evaluates alone too.
            var copied = Path.Combine(work, "copied", "tux.onnx");
            Directory.CreateDirectory(Path.GetDirectoryName(copied)!);
            File.Copy(Path.Combine(outDir, "model.onnx"), copied);
            var quantize = CliRunner.Run(settings, "quantize", copied, "--calibration", data, "--name", Int8Handle, "--force");
            Assert.True(quantize.ExitCode == 0, quantize.AllText);
            Assert.DoesNotContain("assumed", quantize.AllText, StringComparison.Ordinal);
            var int8File = ModelCatalog.Load(settings).Get(Int8Handle).ModelFile.Source["file:".Length..];
            var int8 = CliRunner.Run(settings, "evaluate", int8File, "--data", data, "--json");
            Assert.True(int8.ExitCode == 0, int8.AllText);
            Assert.DoesNotContain("assumed", int8.AllText, StringComparison.Ordinal);
            using (var byHandle = JsonDocument.Parse(evaluate.Output))
            using (var doc = JsonDocument.Parse(int8.Output))
            {
                var fp32Accuracy = byHandle.RootElement.GetProperty("accuracy").GetDouble();
                var int8Accuracy = doc.RootElement.GetProperty("accuracy").GetDouble();
                Assert.True(int8Accuracy >= fp32Accuracy - 0.06, $"int8 accuracy {int8Accuracy} against fp32 {fp32Accuracy}");
            }

            // card rm forgets the int8 card but keeps the training run's folder, which is the user's.
            var remove = CliRunner.Run(settings, "card", "rm", Int8Handle, handle);
            Assert.True(remove.ExitCode == 0, remove.AllText);
            Assert.Contains($"its files in {outDir} are kept", remove.AllText, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(outDir, "model.onnx")));
            Assert.False(File.Exists(int8File), int8File);
            Assert.DoesNotContain(ModelCatalog.Load(settings).Cards, c => c.Handle == handle || c.Handle == Int8Handle);
            // The file names its own task, input and labels: card new needs only the handle.
            var register = CliRunner.Run(settings, "card", "new", Path.Combine(outDir, "model.onnx"), "--handle", handle);
            Assert.True(register.ExitCode == 0, register.AllText);
            Assert.Contains("image-classification", register.AllText, StringComparison.Ordinal);
            Assert.DoesNotContain("assumed", register.AllText, StringComparison.Ordinal);
            // and its licence: the base model's, with the restriction that says so.
            using (var info = JsonDocument.Parse(CliRunner.Run(settings, "info", handle, "--json").Output))
            {
                var license = info.RootElement.GetProperty("license");
                Assert.NotEqual("NOASSERTION", license.GetProperty("spdx").GetString());
                Assert.Contains(license.GetProperty("restrictions").EnumerateArray(), r => r.GetString()!.StartsWith("derived from ", StringComparison.Ordinal));
            }

            var table = CliRunner.Run(settings, "evaluate", handle, "--data", data);
            Assert.Equal(0, table.ExitCode);
            Assert.Contains("Precision", table.AllText);
            Assert.Contains("confusion (rows: true, columns: predicted)", table.AllText);
        }
        finally
        {
            Forget(settings, handle, Int8Handle);
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Unregisters the cards a test registered in the shared store (a run killed before this leaves them; the
    /// next run's --force replaces them), with the int8 folder zoo quantize writes.</summary>
    private static void Forget(ZooSettings settings, params string[] handles)
    {
        var catalog = ModelCatalog.Load(settings);
        foreach (var registered in handles)
        {
            if (catalog.TryGet(registered, out var card))
            {
                using var store = new ModelStore(settings);
                store.Remove(card);
                catalog.Unregister(registered, settings);
            }
            var quantized = Path.Combine(settings.Home, "quantized", registered.Replace('/', '+'));
            if (Directory.Exists(quantized))
            {
                Directory.Delete(quantized, recursive: true);
            }
        }
    }
}
