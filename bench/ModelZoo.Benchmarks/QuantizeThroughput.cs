using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using ModelZoo.Imaging;
using ModelZoo.Onnx;
using ModelZoo.Quantization;
using ModelZoo.Runtime;

namespace ModelZoo.Benchmarks;

/// <summary>
/// fp32 against static int8 ResNet-18 feature extractor (<c>imagenet/resnet18/feature_vector</c>) in one process:
/// quantizes in-process on Tux Paint stamps and scikit-image photos, then times both graphs (each joined with the
/// card's preprocessing graph) on the same preprocessed tensors at batch 1 and 8, and reports the feature cosine on
/// held-out darknet photos. The row carries the CPU's int8 flags from <c>/proc/cpuinfo</c> and the load average.
/// </summary>
internal static class QuantizeThroughput
{
    private const string Handle = "imagenet/resnet18/feature_vector";

    public static int Run(string[] args)
    {
        var runs = Option(args, "--runs", 40);
        var testdata = Environment.GetEnvironmentVariable("ZOO_TESTDATA") ?? Path.Combine(BenchAssets.RepoRoot, ".cache", "testdata");
        var local = BenchAssets.Pull(Handle);
        var card = local.Card;
        var spec = card.Input!;
        var model = OnnxModel.Load(local.ModelPath);
        var preprocess = OnnxModel.Load(local.PathOf(spec.PreprocessGraph!));

        var calibrationFiles = new[] { "animals/birds", "plants/flowers", "food/fruit", "town/houses/cartoon", "town/roadsigns", "household" }
            .SelectMany(d => Directory.GetFiles(Path.Combine(testdata, "tuxpaint", d), "*.png").Order(StringComparer.Ordinal).Take(5))
            .Concat(new[] { "astronaut.png", "coffee.png", "rocket.jpg", "motorcycle_left.png", "hubble_deep_field.jpg" }
                .Select(p => Path.Combine(testdata, "skimage", p)))
            .ToList();
        var heldOut = Directory.GetFiles(Path.Combine(testdata, "darknet"), "*.jpg").Order(StringComparer.Ordinal).ToList();
        var calibration = calibrationFiles.Select(f => ImageDecoder.Decode(f)).ToList();
        var held = heldOut.Select(f => ImageDecoder.Decode(f)).ToList();

        var clock = Stopwatch.StartNew();
        var result = StaticQuantizer.Quantize(model, preprocess, card, calibration);
        var quantizeSeconds = clock.Elapsed.TotalSeconds;
        var fp32 = GraphComposer.Prepend(preprocess, model, spec.Name);
        var int8 = GraphComposer.Prepend(result.Preprocess!, result.Model, spec.Name);
        var agreement = StaticQuantizer.MeasureAgreement(fp32, int8, card, held);

        Console.WriteLine($"quantize: {Handle}, {calibration.Count} calibration images, {runs} runs per measurement, {Environment.ProcessorCount} cores, " +
                          $"ONNX Runtime default threads, load average {LoadAverage()}");
        Console.WriteLine($"cpu: {CpuModel()}; int8 flags: {CpuFlags()}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"quantized in {quantizeSeconds:0.0} s; ORT fused int8 kernels: {FusedOps(int8.ToBytes())}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"held-out darknet photos ({agreement.Images}): mean cosine {agreement.Value:F4}, min {agreement.Minimum:F4}; calibration set: {result.Agreement.Value:F4}"));
        Console.WriteLine();
        Console.WriteLine("| batch | fp32 img/s | int8 img/s | int8 ÷ fp32 |");
        Console.WriteLine("|---:|---:|---:|---:|");
        foreach (var batch in new[] { 1, 8 })
        {
            var tensor = new float[batch * ImagePreprocessor.TensorLength(spec)];
            for (var i = 0; i < batch; i++)
            {
                ImagePreprocessor.WriteTensor(held[i % held.Count], spec, tensor.AsSpan(i * ImagePreprocessor.TensorLength(spec), ImagePreprocessor.TensorLength(spec)));
            }
            long[] shape = [batch, 3, spec.Height, spec.Width];
            var a = ImagesPerSecond(fp32.ToBytes(), tensor, shape, runs, batch);
            var b = ImagesPerSecond(int8.ToBytes(), tensor, shape, runs, batch);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {batch} | {a:0.0} | {b:0.0} | {b / a:0.00}× |"));
        }
        Console.WriteLine();
        Console.WriteLine($"load average after: {LoadAverage()}");
        foreach (var image in calibration.Concat(held))
        {
            image.Dispose();
        }
        return 0;
    }

    private static double ImagesPerSecond(byte[] onnx, float[] tensor, long[] shape, int runs, int batch)
    {
        using var session = ModelSession.Open(onnx);
        var input = session.Inputs[0].Name;
        for (var i = 0; i < Math.Max(3, runs / 10); i++)
        {
            session.Run(input, tensor, shape);
        }
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++)
        {
            session.Run(input, tensor, shape);
        }
        return runs * batch / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Integer ops in the graph ONNX Runtime actually runs (its optimized model), to show the QDQ groups were fused.</summary>
    private static string FusedOps(byte[] onnx)
    {
        var path = Path.Combine(Path.GetTempPath(), "zoo-quant-optimized-" + Guid.NewGuid().ToString("N")[..8] + ".onnx");
        try
        {
            using (var options = new SessionOptions { OptimizedModelFilePath = path })
            using (new InferenceSession(onnx, options))
            {
            }
            var counts = OnnxModel.Load(path).OperatorCounts;
            var integer = counts.Where(kv => kv.Key.Contains("QLinear", StringComparison.Ordinal) || kv.Key.Contains("Integer", StringComparison.Ordinal)
                                             || kv.Key.EndsWith("QuantizeLinear", StringComparison.Ordinal) || kv.Key.Contains("QGemm", StringComparison.Ordinal))
                .Select(kv => $"{kv.Key}={kv.Value}");
            var floatConv = counts.Where(kv => kv.Key is "Conv" or "com.microsoft:FusedConv").Select(kv => $"{kv.Key}={kv.Value}");
            return string.Join(", ", integer.Concat(floatConv));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The CPU's SIMD and int8 flags from /proc/cpuinfo.</summary>
    internal static string CpuFlags()
    {
        var info = Path.Combine(Path.DirectorySeparatorChar + "proc", "cpuinfo");
        if (!File.Exists(info))
        {
            return "n/a";
        }
        var flags = File.ReadLines(info).FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(':')[1]
            .Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var wanted = new[] { "avx2", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni", "amx_int8" };
        var present = wanted.Where(flags.Contains).ToList();
        return present.Count == 0 ? "none of avx2/avx512/vnni" : string.Join(' ', present);
    }

    private static string CpuModel()
    {
        var info = Path.Combine(Path.DirectorySeparatorChar + "proc", "cpuinfo");
        return File.Exists(info) ? File.ReadLines(info).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim() ?? "n/a" : "n/a";
    }

    private static string LoadAverage()
    {
        var path = Path.Combine(Path.DirectorySeparatorChar + "proc", "loadavg");
        return File.Exists(path) ? string.Join(' ', File.ReadAllText(path).Split(' ').Take(3)) : "n/a";
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
