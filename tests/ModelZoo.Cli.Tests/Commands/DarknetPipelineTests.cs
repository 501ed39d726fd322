using System.Text.Json;
using ModelZoo.Tests.Import.Darknet;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Cli.Tests.Commands;

/// <summary>
/// A model written by <c>zoo import darknet</c> runs through the detection pipeline as a model file with the
/// darknet decoders: the heads are found with their anchors and decoded into labelled boxes inside the photo. The
/// weights are libdarknet's random ones, so the boxes say nothing about accuracy; the decoders' geometry is checked on
/// fixed tensors in <c>DarknetDecoderTests</c>.
/// </summary>
public sealed class DarknetPipelineTests
{
    [Theory]
    [InlineData("yolov3-tiny.cfg", "darknet-yolo")]
    [InlineData("yolov2-tiny.cfg", "darknet-region")]
    public void Imported_detector_runs_through_zoo_detect(string cfg, string decoder)
    {
        var reference = DarknetReference.Get(DarknetReference.PackageCfg(cfg));
        using var home = new TempHome();
        var onnx = Path.Combine(home.Path, "model.onnx");
        var settings = home.Settings(offline: true);

        var import = CliRunner.Run(settings, "import", "darknet", reference.Cfg, reference.Weights, "--out", onnx, "--labels", "builtin:coco80");
        Assert.True(import.ExitCode == 0, import.AllText);
        Assert.Contains($"decoder {decoder}", import.AllText, StringComparison.Ordinal);
        Assert.Contains("run it: zoo detect model.onnx IMAGE", import.AllText, StringComparison.Ordinal);

        var detect = CliRunner.Run(settings, "detect", onnx, TestAssets.Image("darknet/dog.jpg"), "--decoder", decoder,
            "--labels", "builtin:coco80", "--mean", "0,0,0", "--std", "1,1,1", "--min-score", "0.01", "--json");
        Assert.True(detect.ExitCode == 0, detect.AllText);

        // The file describes itself (decoder, 0-1 input with nothing subtracted, class names): the shortest command
        // reads it as the flags do, assuming nothing.
        var plain = CliRunner.Run(settings, "detect", onnx, TestAssets.Image("darknet/dog.jpg"), "--min-score", "0.01", "--json");
        Assert.True(plain.ExitCode == 0, plain.AllText);
        Assert.Equal(detect.Output, plain.Output);
        Assert.DoesNotContain("assumed", plain.AllText, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(detect.Output);
        var detections = json.RootElement[0].GetProperty("detections").EnumerateArray().ToList();
        Assert.NotEmpty(detections);
        foreach (var d in detections)
        {
            Assert.False(string.IsNullOrEmpty(d.GetProperty("label").GetString()));
            var score = d.GetProperty("score").GetDouble();
            Assert.InRange(score, 0.01, 1.0);
            var box = d.GetProperty("box");
            Assert.InRange(box.GetProperty("x").GetDouble(), 0, 768);
            Assert.InRange(box.GetProperty("y").GetDouble(), 0, 576);
        }
    }

    [Fact]
    public void Import_without_names_says_how_to_give_them_and_a_wrong_count_writes_nothing()
    {
        var reference = DarknetReference.Get(DarknetReference.PackageCfg("yolov3-tiny.cfg"));
        using var home = new TempHome();
        var settings = home.Settings(offline: true);
        var onnx = Path.Combine(home.Path, "model.onnx");

        var unnamed = CliRunner.Run(settings, "import", "darknet", reference.Cfg, reference.Weights, "--out", onnx);
        Assert.True(unnamed.ExitCode == 0, unnamed.AllText);
        Assert.Contains("no class names written (give --labels", unnamed.AllText, StringComparison.Ordinal);
        var detect = CliRunner.Run(settings, "detect", onnx, TestAssets.Image("darknet/dog.jpg"));
        Assert.Equal(2, detect.ExitCode);
        Assert.Contains("needs class names: give --labels", detect.AllText, StringComparison.Ordinal);

        var other = Path.Combine(home.Path, "voc.onnx");
        var wrong = CliRunner.Run(settings, "import", "darknet", reference.Cfg, reference.Weights, "--out", other, "--labels", "builtin:voc20");
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("20 class names were given for a model with 80 classes", wrong.AllText, StringComparison.Ordinal);
        Assert.False(File.Exists(other), "a refused import must leave no file");
    }

    [Fact]
    public void Imported_classifier_takes_the_first_names_of_a_longer_list_as_darknet_does()
    {
        var reference = DarknetReference.Get(DarknetReference.PackageCfg("darknet19.cfg"));
        var names = Path.Combine(Path.GetDirectoryName(DarknetReference.CfgFolder)!, "data", "imagenet.shortnames.list");
        Assert.True(File.Exists(names), $"{names} is missing: run scripts/install-test-deps.sh (it installs Debian's darknet package).");
        using var home = new TempHome();
        var settings = home.Settings(offline: true);
        var onnx = Path.Combine(home.Path, "darknet19.onnx");

        // Without names the file says what it is but not its classes: ImageNet's standard order is not guessed for it.
        var unnamed = Path.Combine(home.Path, "unnamed.onnx");
        Assert.Equal(0, CliRunner.Run(settings, "import", "darknet", reference.Cfg, reference.Weights, "--out", unnamed).ExitCode);
        var guess = CliRunner.Run(settings, "classify", unnamed, TestAssets.Image("darknet/dog.jpg"));
        Assert.Equal(2, guess.ExitCode);
        Assert.Contains("describes itself but names none", System.Text.RegularExpressions.Regex.Replace(guess.AllText, @"\s+", " "), StringComparison.Ordinal);

        var import = CliRunner.Run(settings, "import", "darknet", reference.Cfg, reference.Weights, "--out", onnx, "--labels", names);
        Assert.True(import.ExitCode == 0, import.AllText);
        var all = File.ReadAllLines(names);
        Assert.Contains($"the first 1000 of the {all.Length} given", import.AllText, StringComparison.Ordinal);

        var classify = CliRunner.Run(settings, "classify", onnx, TestAssets.Image("darknet/dog.jpg"), "--json", "--top", "3");
        Assert.True(classify.ExitCode == 0, classify.AllText);
        Assert.DoesNotContain("assumed", classify.AllText, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(classify.Output);
        foreach (var p in json.RootElement[0].GetProperty("predictions").EnumerateArray())
        {
            var index = p.GetProperty("index").GetInt32();
            Assert.InRange(index, 0, 999);
            Assert.Equal(all[index], p.GetProperty("label").GetString());
        }
    }
}
