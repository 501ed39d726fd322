using System.Text.Json;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Cli.Tests.Commands;

/// <summary><c>zoo bench</c> on real models and photos: the JSON report's fields are there, positive and consistent
/// with each other (no timing thresholds), and missing images are a usage error.</summary>
public sealed class BenchCommandTests
{
    private const int Runs = 2;

    private static string SamplesFolder => Path.Combine(TestAssets.RepoRoot, "samples");

    private static JsonElement Report(params string[] args)
    {
        var result = CliRunner.Run(SharedStore.Settings, ["bench", .. args, "--json", "--runs", Runs.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.True(result.ExitCode == 0, result.AllText);
        using var json = JsonDocument.Parse(result.Output);
        return json.RootElement.Clone();
    }

    private static double Number(JsonElement e, string name)
    {
        var value = e.GetProperty(name).GetDouble();
        Assert.True(value > 0, $"{name} should be positive, got {value}");
        return value;
    }

    private static void AssertSpeed(JsonElement speed, int calls)
    {
        Number(speed, "imagesPerSecond");
        Assert.Equal(calls, speed.GetProperty("calls").GetInt32());
        var latency = speed.GetProperty("latencyMs");
        var (p50, p90, p99) = (Number(latency, "p50"), Number(latency, "p90"), Number(latency, "p99"));
        Assert.True(p50 <= p90 && p90 <= p99, $"percentiles out of order: {p50}, {p90}, {p99}");
    }

    [Fact]
    public void Bench_of_a_detector_reports_pipeline_ort_alone_and_stages_over_the_same_calls()
    {
        var report = Report("coco/nanodet/detection", "--images", SamplesFolder, "--batch", "1");
        var images = Directory.GetFiles(SamplesFolder, "*.jpg").Length;
        Assert.Equal("coco/nanodet/detection", report.GetProperty("model").GetString());
        Assert.Equal("object-detection", report.GetProperty("task").GetString());
        Assert.Equal(1, report.GetProperty("batch").GetInt32());
        Assert.Equal(images, report.GetProperty("images").GetInt32());
        Assert.Equal(JsonValueKind.Array, report.GetProperty("cpuFlags").ValueKind);
        Assert.True(report.GetProperty("threads").GetInt32() >= 0);
        Assert.True(report.GetProperty("scaledDecode").GetBoolean());

        AssertSpeed(report, images * Runs);
        AssertSpeed(report.GetProperty("ortAlone"), images * Runs);
        // NanoDet runs one image per session call.
        Assert.Equal(images * Runs, report.GetProperty("ortAlone").GetProperty("sessionRuns").GetInt32());
        var ratio = Number(report, "pipelineOverOrt");
        var expectedRatio = report.GetProperty("imagesPerSecond").GetDouble() / report.GetProperty("ortAlone").GetProperty("imagesPerSecond").GetDouble();
        Assert.Equal(expectedRatio, ratio, 0.01);
        var streamed = report.GetProperty("streamed");
        var streamedRatio = Number(streamed, "overOrt");
        Assert.Equal(Number(streamed, "imagesPerSecond") / report.GetProperty("ortAlone").GetProperty("imagesPerSecond").GetDouble(), streamedRatio, 0.01);

        var stages = report.GetProperty("stages");
        Assert.Equal(images * Runs, stages.GetProperty("images").GetInt32());
        var stageSum = Number(stages, "decodeMs") + Number(stages, "preprocessMs") + Number(stages, "inferenceMs") + Number(stages, "postprocessMs");
        // With one image per call the stages run one after another inside the call, so their sum cannot exceed the
        // call's latency; the slack covers the rounding of the printed figures.
        var meanLatency = report.GetProperty("latencyMs").GetProperty("mean").GetDouble();
        Assert.True(stageSum <= meanLatency + 0.01, $"stages sum to {stageSum} ms per image, more than the mean latency {meanLatency} ms");
    }

    [Fact]
    public void Bench_of_an_int8_model_file_runs_it_as_a_classifier()
    {
        var model = TestAssets.SharedTestData("imagenet/mobilenetv2-12-int8.onnx");
        var dog = TestAssets.Image("darknet/dog.jpg");
        var report = Report(model, "--images", dog, "--batch", "2", "--threads", "1");
        Assert.Equal("image-classification", report.GetProperty("task").GetString());
        Assert.Equal(1, report.GetProperty("threads").GetInt32());
        Assert.Equal(1, report.GetProperty("images").GetInt32());
        Assert.False(Report(model, "--images", dog, "--full-decode").GetProperty("scaledDecode").GetBoolean());
        AssertSpeed(report, Runs);
        AssertSpeed(report.GetProperty("ortAlone"), Runs);
        Assert.Equal(Runs, report.GetProperty("stages").GetProperty("images").GetInt32());
    }

    [Fact]
    public void Bench_without_images_is_a_usage_error_naming_the_images_option()
    {
        Assert.False(Directory.Exists(Path.Combine(Directory.GetCurrentDirectory(), "samples")),
            "the test's working folder should have no samples/ folder");
        var result = CliRunner.Run(SharedStore.Settings, "bench", "coco/nanodet/detection");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--images DIR", result.AllText, StringComparison.Ordinal);

        using var home = new TempHome();
        var empty = Directory.CreateDirectory(Path.Combine(home.Path, "empty")).FullName;
        var none = CliRunner.Run(SharedStore.Settings, "bench", "coco/nanodet/detection", "--images", empty);
        Assert.Equal(2, none.ExitCode);
        Assert.Contains("holds no images", none.AllText, StringComparison.Ordinal);

        var runs = CliRunner.Run(SharedStore.Settings, "bench", "coco/nanodet/detection", "--images", SamplesFolder, "--runs", "0");
        Assert.Equal(2, runs.ExitCode);
        Assert.Contains("--runs", runs.AllText, StringComparison.Ordinal);
    }
}
