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

        var import = CliRunner.Run(settings, "import", "darknet", reference.Cfg, reference.Weights, "--out", onnx);
        Assert.True(import.ExitCode == 0, import.AllText);

        var detect = CliRunner.Run(settings, "detect", onnx, TestAssets.Image("darknet/dog.jpg"), "--decoder", decoder,
            "--labels", "builtin:coco80", "--mean", "0,0,0", "--std", "1,1,1", "--min-score", "0.01", "--json");
        Assert.True(detect.ExitCode == 0, detect.AllText);
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
}
