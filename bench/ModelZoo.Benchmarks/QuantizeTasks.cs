using System.Diagnostics;
using System.Globalization;
using ModelZoo.Imaging;
using ModelZoo.Import;
using ModelZoo.Onnx;
using ModelZoo.Quantization;
using ModelZoo.Runtime;
using ModelZoo.Tests.Quantization;

namespace ModelZoo.Benchmarks;

/// <summary>
/// <c>quantize-tasks [--handles a,b] [--tails 0,2,4] [--runs N] [--nodes N]</c>: the TFJS detector and MoveNet
/// quantized at each float tail, calibrated on real photos, judged on held-out photos by the task's agreement
/// (detections matched by class and IoU ≥ 0.5, keypoints within 5 % of the image diagonal; pose models on held-out
/// pictures of people), and timed in ONNX Runtime alone on the same preprocessed tensor, float and int8 in the same
/// process. <c>--nodes N</c> prints the N nodes that add most int8 error, on the calibration and the held-out pictures.
/// </summary>
internal static class QuantizeTasks
{
    public static int Run(string[] args)
    {
        var handles = (Option(args, "--handles") ?? "coco/nanodet/detection,body/movenet/lightning").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var tails = (Option(args, "--tails") ?? "0,2,4").Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        var runs = int.Parse(Option(args, "--runs") ?? "40", CultureInfo.InvariantCulture);
        var nodes = int.Parse(Option(args, "--nodes") ?? "0", CultureInfo.InvariantCulture);
        var testdata = Environment.GetEnvironmentVariable("ZOO_TESTDATA") ?? Path.Combine(BenchAssets.RepoRoot, ".cache", "testdata");
        var calibration = ScenePhotoSets.Calibration.Select(p => ImageDecoder.Decode(Path.Combine(testdata, p))).ToList();
        var heldOut = ScenePhotoSets.HeldOut.Select(p => ImageDecoder.Decode(Path.Combine(testdata, p))).ToList();
        var people = ScenePhotoSets.PeopleHeldOut.Select(p => ImageDecoder.Decode(Path.Combine(testdata, p))).ToList();
        Console.WriteLine($"quantize-tasks: CPU {QuantizeThroughput.CpuFlags()}, {Environment.ProcessorCount} cores, load average {TrainComparison.LoadAverage()}, " +
                          $"{calibration.Count} calibration photos, {heldOut.Count} held out ({people.Count} with people for pose), {runs} timed runs per model");
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
                    q = StaticQuantizer.Quantize(model, pre, card, calibration, new QuantizationOptions { FloatTail = tail });
                }
                catch (ZooException ex)
                {
                    Console.WriteLine($"{handle}, float tail {tail}: refused ({ex.Code}): {ex.Message}");
                    rows.Add($"| {handle} | {tail} | refused: {ex.Message} | | | | | |");
                    continue;
                }
                var seconds = clock.Elapsed.TotalSeconds;
                var candidate = q.Preprocess is null ? q.Model : GraphComposer.Prepend(q.Preprocess, q.Model, card.Input!.Name);
                var judged = card.Task == Catalog.ModelTask.PoseEstimation ? people : heldOut;
                var held = StaticQuantizer.MeasureAgreement(reference, candidate, card, judged);
                if (nodes > 0)
                {
                    PrintNodes("calibration", q.Divergence.Count > 0 ? q.Divergence : StaticQuantizer.CompareNodes(model, q, card, calibration), nodes);
                    PrintNodes("held out", StaticQuantizer.CompareNodes(model, q, card, judged), nodes);
                }
                var (fp32, int8) = Throughput(reference, candidate, card, judged[0], runs);
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
        foreach (var image in calibration.Concat(heldOut).Concat(people))
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
        using var fp32 = ModelSession.Open(reference.ToBytes());
        using var int8 = ModelSession.Open(candidate.ToBytes());
        NamedTensor[] fp32Inputs = [new NamedTensor(fp32.Inputs[0].Name, data, shape)];
        NamedTensor[] int8Inputs = [new NamedTensor(int8.Inputs[0].Name, data, shape)];
        // Both sessions warm the same number of runs, then the timed runs alternate in five rounds, so a machine that
        // speeds up or slows down during the measurement moves both figures alike.
        var warmup = Math.Max(5, runs / 5);
        Time(fp32, fp32Inputs, warmup);
        Time(int8, int8Inputs, warmup);
        var perRound = Math.Max(1, runs / 5);
        double fp32Seconds = 0, int8Seconds = 0;
        for (var round = 0; round < 5; round++)
        {
            fp32Seconds += Time(fp32, fp32Inputs, perRound);
            int8Seconds += Time(int8, int8Inputs, perRound);
        }
        return (5 * perRound / fp32Seconds, 5 * perRound / int8Seconds);
    }

    private static double Time(ModelSession session, NamedTensor[] inputs, int runs)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++)
        {
            session.Run(inputs);
        }
        return clock.Elapsed.TotalSeconds;
    }

    private static void PrintNodes(string set, IReadOnlyList<NodeDivergence> divergence, int count)
    {
        Console.WriteLine($"  nodes adding most int8 error, {set} pictures:");
        foreach (var d in divergence.Take(count))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {d.Node} ({d.OpType}): relative error {d.RelativeError:0.####} (inputs {d.InputError:0.####}), cosine {d.Cosine:0.####}, max abs {d.MaxAbsError:0.###}, fp32 range {d.FloatRange.Low:0.###}..{d.FloatRange.High:0.###}"));
        }
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
