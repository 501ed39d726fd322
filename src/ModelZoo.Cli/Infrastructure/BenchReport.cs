using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace ModelZoo.Cli.Infrastructure;

/// <summary>What <c>zoo bench</c> measured: the whole pipeline and ONNX Runtime alone over the same passes, and the
/// pipeline's mean time per image in each stage.</summary>
internal sealed record BenchReport(string Model, string Task, int Batch, int Threads, int Runs, int Images,
    IReadOnlyList<string> CpuFlags, BenchReport.Speed Pipeline, BenchReport.Speed OrtAlone, int OrtCalls, StageTimings Stages,
    double StreamedImagesPerSecond, bool ScaledDecode)
{
    /// <summary>Throughput over the measured passes and the latency of one call (a batch of images).</summary>
    internal sealed record Speed(double ImagesPerSecond, double MeanMs, double P50Ms, double P90Ms, double P99Ms, int Calls);

    public static Speed Summarise(IReadOnlyList<double> callMs, long images)
    {
        var sorted = callMs.Order().ToArray();
        var total = sorted.Sum();
        return new Speed(total > 0 ? images / (total / 1000) : 0, total / sorted.Length,
            Percentile(sorted, 50), Percentile(sorted, 90), Percentile(sorted, 99), sorted.Length);
    }

    // Nearest rank: the smallest measured value with at least p % of the calls at or below it.
    private static double Percentile(double[] sorted, int p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>Pipeline images/s ÷ ONNX Runtime alone images/s.</summary>
    public double Ratio => OrtAlone.ImagesPerSecond > 0 ? Pipeline.ImagesPerSecond / OrtAlone.ImagesPerSecond : 0;

    /// <summary>The pipeline over the folder as one stream (decode-ahead) images/s ÷ ONNX Runtime alone images/s.</summary>
    public double StreamedRatio => OrtAlone.ImagesPerSecond > 0 ? StreamedImagesPerSecond / OrtAlone.ImagesPerSecond : 0;

    private double StageMs(TimeSpan total) => Stages.Images > 0 ? total.TotalMilliseconds / Stages.Images : 0;

    public void WriteJson(TextWriter output)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("model", Model);
            writer.WriteString("task", Task);
            writer.WriteNumber("batch", Batch);
            writer.WriteNumber("threads", Threads);
            writer.WriteNumber("runs", Runs);
            writer.WriteNumber("images", Images);
            writer.WriteBoolean("scaledDecode", ScaledDecode);
            writer.WriteStartArray("cpuFlags");
            foreach (var flag in CpuFlags)
            {
                writer.WriteStringValue(flag);
            }
            writer.WriteEndArray();
            WriteSpeed(writer, Pipeline);
            writer.WriteStartObject("ortAlone");
            WriteSpeed(writer, OrtAlone);
            writer.WriteNumber("sessionRuns", OrtCalls * Runs);
            writer.WriteEndObject();
            writer.WriteNumber("pipelineOverOrt", Round(Ratio, 3));
            writer.WriteStartObject("streamed");
            writer.WriteNumber("imagesPerSecond", Round(StreamedImagesPerSecond, 2));
            writer.WriteNumber("overOrt", Round(StreamedRatio, 3));
            writer.WriteEndObject();
            writer.WriteStartObject("stages");
            writer.WriteNumber("images", Stages.Images);
            writer.WriteNumber("decodeMs", Round(StageMs(Stages.Decode), 3));
            writer.WriteNumber("preprocessMs", Round(StageMs(Stages.Preprocess), 3));
            writer.WriteNumber("inferenceMs", Round(StageMs(Stages.Inference), 3));
            writer.WriteNumber("postprocessMs", Round(StageMs(Stages.Postprocess), 3));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
        output.Flush();
    }

    private static void WriteSpeed(Utf8JsonWriter writer, Speed speed)
    {
        writer.WriteNumber("imagesPerSecond", Round(speed.ImagesPerSecond, 2));
        writer.WriteNumber("calls", speed.Calls);
        writer.WriteStartObject("latencyMs");
        writer.WriteNumber("mean", Round(speed.MeanMs, 3));
        writer.WriteNumber("p50", Round(speed.P50Ms, 3));
        writer.WriteNumber("p90", Round(speed.P90Ms, 3));
        writer.WriteNumber("p99", Round(speed.P99Ms, 3));
        writer.WriteEndObject();
    }

    private static double Round(double value, int digits) => Math.Round(value, digits, MidpointRounding.AwayFromZero);

    public void WriteTables(IAnsiConsole console)
    {
        static string F(double v) => v.ToString(v >= 100 ? "0" : "0.0#", CultureInfo.InvariantCulture);
        var threads = Threads == 0 ? "all cores" : Threads.ToString(CultureInfo.InvariantCulture);
        var flags = CpuFlags.Count == 0 ? "n/a" : string.Join(' ', CpuFlags);
        console.MarkupLine(Markup.Escape($"{Model} ({Task}): {Images} image(s) × {Runs} run(s), batch {Batch}, threads {threads}, {(ScaledDecode ? "scaled" : "full")} decode, cpu {flags}"));
        var speed = new TextTable().Column("").Column("images/s", right: true).Column("p50 ms", right: true)
            .Column("p90 ms", right: true).Column("p99 ms", right: true);
        foreach (var (name, s) in new[] { ("pipeline", Pipeline), ("ONNX Runtime alone", OrtAlone) })
        {
            speed.Row(name, F(s.ImagesPerSecond), F(s.P50Ms), F(s.P90Ms), F(s.P99Ms));
        }
        speed.Row("pipeline, one stream of files", F(StreamedImagesPerSecond), "", "", "");
        speed.Write(console);
        console.MarkupLine(Markup.Escape($"pipeline ÷ ONNX Runtime alone: {Ratio.ToString("0.00", CultureInfo.InvariantCulture)} call by call, "
            + $"{StreamedRatio.ToString("0.00", CultureInfo.InvariantCulture)} as one stream (the next images decode during inference)"));
        var stages = new TextTable().Column("ms per image").Column("decode", right: true).Column("preprocess", right: true)
            .Column("inference", right: true).Column("postprocess", right: true);
        stages.Row("pipeline", F(StageMs(Stages.Decode)), F(StageMs(Stages.Preprocess)), F(StageMs(Stages.Inference)), F(StageMs(Stages.Postprocess)));
        stages.Write(console);
    }
}
