using System.Diagnostics;
using System.Globalization;
using ModelZoo.Imaging;
using ModelZoo.Import;
using ModelZoo.Onnx;
using ModelZoo.Quantization;
using ModelZoo.Runtime;

namespace ModelZoo.Benchmarks;

/// <summary>
/// <c>quantize-tasks [--handles a,b] [--tails 0,2,4] [--runs N]</c>: the TFJS detector and MoveNet quantized at each
/// float tail, calibrated on real photos, judged on held-out photos by the task's agreement (detections matched by
/// class and IoU ≥ 0.5, keypoints within 5 % of the image diagonal), and timed in ONNX Runtime alone on the same
/// preprocessed tensor, float and int8 in the same process.
/// </summary>
internal static class QuantizeTasks
{
    internal static readonly string[] CalibrationPhotos =
    [
        "skimage/astronaut.png", "skimage/coffee.png", "skimage/rocket.jpg", "skimage/motorcycle_left.png", "skimage/hubble_deep_field.jpg",
        "darknet/dog.jpg", "darknet/horses.jpg", "darknet/person.jpg",
    ];

    internal static readonly string[] HeldOutPhotos =
    [
        "darknet/eagle.jpg", "darknet/giraffe.jpg", "darknet/kite.jpg", "darknet/scream.jpg", "skimage/chelsea.png", "skimage/motorcycle_right.png",
    ];

    public static int Run(string[] args)
    {
        var handles = (Option(args, "--handles") ?? "coco/nanodet/detection,body/movenet/lightning").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var tails = (Option(args, "--tails") ?? "0,2,4").Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        var runs = int.Parse(Option(args, "--runs") ?? "40", CultureInfo.InvariantCulture);
        var testdata = Environment.GetEnvironmentVariable("ZOO_TESTDATA") ?? Path.Combine(BenchAssets.RepoRoot, ".cache", "testdata");
        var calibration = CalibrationPhotos.Select(p => ImageDecoder.Decode(Path.Combine(testdata, p))).ToList();
        var heldOut = HeldOutPhotos.Select(p => ImageDecoder.Decode(Path.Combine(testdata, p))).ToList();
        Console.WriteLine($"quantize-tasks: CPU {QuantizeThroughput.CpuFlags()}, {Environment.ProcessorCount} cores, load average {TrainComparison.LoadAverage()}, " +
                          $"{calibration.Count} calibration photos, {heldOut.Count} held out, {runs} timed runs per model");
        var rows = new List<string>();
        foreach (var handle in handles)
        {
            var local = BenchAssets.Pull(handle);
            var card = local.Card;
            var model = OnnxModel.Load(ImportedModelCache.RunnableModelPath(local));
            var pre = card.Input?.PreprocessGraph is { } g ? OnnxModel.Load(local.PathOf(g)) : null;
            var reference = pre is null ? model : GraphComposer.Prepend(pre, model, card.Input!.Name);
            foreach (var tail in tails)
            {
                var clock = Stopwatch.StartNew();
                QuantizedModel q;
                try
                {
                    q = StaticQuantizer.Quantize(model, pre, card, calibration, new QuantizationOptions { FloatTail = tail, MinimumAgreement = 0 });
                }
                catch (ZooException ex)
                {
                    Console.WriteLine($"{handle}, float tail {tail}: refused ({ex.Code}): {ex.Message}");
                    rows.Add($"| {handle} | {tail} | refused: {ex.Message} | | | | | |");
                    continue;
                }
                var seconds = clock.Elapsed.TotalSeconds;
                var candidate = q.Preprocess is null ? q.Model : GraphComposer.Prepend(q.Preprocess, q.Model, card.Input!.Name);
                var held = StaticQuantizer.MeasureAgreement(reference, candidate, card, heldOut);
                var (fp32, int8) = Throughput(reference, candidate, card, heldOut[0], runs);
                var measures = string.Join(", ", held.Measures.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:0.###}")));
                var row = string.Create(CultureInfo.InvariantCulture,
                    $"| {handle} | {tail} | {held.Metric} {held.Value:0.000} (calibration {q.Agreement.Value:0.000}, threshold {held.Threshold}) | {measures} | {fp32:0.0} | {int8:0.0} | {int8 / fp32:0.00}× | {seconds:0.0} s |");
                Console.WriteLine(row);
                rows.Add(row);
            }
        }
        Console.WriteLine();
        Console.WriteLine($"load average at the end: {TrainComparison.LoadAverage()}");
        Console.WriteLine("| model | float tail | agreement, held-out photos | details | fp32 img/s (ORT alone) | int8 img/s | int8 ÷ fp32 | quantize time |");
        Console.WriteLine("|---|---:|---|---|---:|---:|---:|---:|");
        rows.ForEach(Console.WriteLine);
        foreach (var image in calibration.Concat(heldOut))
        {
            image.Dispose();
        }
        return 0;
    }

    /// <summary>Images/s of each model in ONNX Runtime alone, on one tensor prepared once (same for both), in the
    /// element type the card's input takes.</summary>
    private static (double Fp32, double Int8) Throughput(OnnxModel reference, OnnxModel candidate, Catalog.ModelCard card, RgbImage image, int runs)
    {
        var spec = card.Input!;
        var length = ImagePreprocessor.TensorLength(spec);
        Array data;
        if (spec.Element == Catalog.InputElementType.Int32)
        {
            var bytes = new byte[length];
            ImagePreprocessor.WriteTensor(image, spec, bytes.AsSpan());
            data = Array.ConvertAll(bytes, v => (int)v);
        }
        else
        {
            var floats = new float[length];
            ImagePreprocessor.WriteTensor(image, spec, floats.AsSpan());
            data = floats;
        }
        long[] shape = spec.Layout == Catalog.TensorLayout.Nchw ? [1, 3, spec.Height, spec.Width] : [1, spec.Height, spec.Width, 3];
        return (PerSecond(reference, data, shape, runs), PerSecond(candidate, data, shape, runs));
    }

    private static double PerSecond(OnnxModel model, Array data, long[] shape, int runs)
    {
        using var session = ModelSession.Open(model.ToBytes());
        NamedTensor[] inputs = [new NamedTensor(session.Inputs[0].Name, data, shape)];
        for (var i = 0; i < Math.Max(3, runs / 10); i++)
        {
            session.Run(inputs);
        }
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++)
        {
            session.Run(inputs);
        }
        return runs / clock.Elapsed.TotalSeconds;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
