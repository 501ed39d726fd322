using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ModelZoo.Import;
using ModelZoo.Import.Tfjs;
using ModelZoo.Imaging;
using ModelZoo.Store;
using ModelZoo.Tasks;

namespace ModelZoo.Benchmarks;

/// <summary>
/// Images per second of the vision task pipelines on the built-in TFJS cards (imported to ONNX), against ONNX Runtime
/// alone on the same imported graph with a tensor prepared in advance, and against TensorFlow.js's pure-JS CPU backend
/// running the original model.json (<c>bench/node/tfjs-bench.mjs</c>, shelled out to Node). Also times the TFJS importer
/// on each model. Everything is batch 1 and measured in the same process run, one model at a time.
/// </summary>
internal static class VisionThroughput
{
    private sealed record Case(string Task, string Handle, string Image, Func<LocalModel, IDisposable> Open, Action<IDisposable, RgbImage> Run,
        Func<IDisposable, StageTimings> Timings);

    private static readonly Case[] Cases =
    [
        new("detect", "coco/nanodet/detection", "darknet/dog.jpg",
            m => ObjectDetector.Open(m), (p, image) => ((ObjectDetector)p).Detect(image), p => ((ObjectDetector)p).Timings),
        new("pose", "body/movenet/lightning", "darknet/person.jpg",
            m => PoseEstimator.Open(m), (p, image) => ((PoseEstimator)p).Estimate(image), p => ((PoseEstimator)p).Timings),
        new("faces", "face/blazeface_human/back_256", "skimage/astronaut.png",
            m => FaceDetector.Open(m), (p, image) => ((FaceDetector)p).Detect(image), p => ((FaceDetector)p).Timings),
        new("segment", "segmentation/selfie/mask", "darknet/person.jpg",
            m => Segmenter.Open(m), (p, image) => ((Segmenter)p).Segment(image), p => ((Segmenter)p).Timings),
    ];

    public static int Run(string[] args)
    {
        var runs = Option(args, "--runs", 50);
        var tfjsRuns = Option(args, "--tfjs-runs", 10);
        var repeat = Math.Max(1, Option(args, "--repeat", 1));
        var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
        var testdata = Environment.GetEnvironmentVariable("ZOO_TESTDATA") ?? Path.Combine(BenchAssets.RepoRoot, ".cache", "testdata");
        Console.WriteLine($"vision: {runs} runs per measurement ({(tfjsRuns > 0 ? tfjsRuns.ToString(CultureInfo.InvariantCulture) : "no")} tfjs), " +
                          $"{repeat} alternating rounds, batch 1, {Environment.ProcessorCount} cores, ONNX Runtime default threads, load average {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| task | model | round | import ms | pipeline img/s | ORT alone img/s | tfjs-cpu img/s | pipeline ÷ tfjs | ORT ÷ tfjs | pipeline ÷ ORT | preprocess ms | inference ms | postprocess ms | load |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var c in Cases.Where(c => only is null || c.Task == only))
        {
            var model = BenchAssets.Pull(c.Handle);
            var importMs = Median(3, () => TfjsImporter.ImportWithReport(model.ModelPath));
            using var image = ImageDecoder.Decode(Path.Combine(testdata, c.Image));
            var tfjs = tfjsRuns > 0 ? Tfjs(model.ModelPath, tfjsRuns) : double.NaN;
            using var p = c.Open(model);
            using var ort = new OrtAlone(ImportedModelCache.RunnableModelPath(model));
            // Pipeline and ORT alone alternate round by round, so load from other processes falls on both alike.
            for (var round = 1; round <= repeat; round++)
            {
                StageTimings? warm = null;
                var pipeline = ImagesPerSecond(runs, () => c.Run(p, image), () => warm = c.Timings(p));
                var stages = c.Timings(p).Since(warm!);
                var ortAlone = ImagesPerSecond(runs, ort.Run, () => { });
                double PerImage(TimeSpan t) => t.TotalMilliseconds / stages.Images;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {c.Task} | `{c.Handle}` | {round} | {importMs:0} | {pipeline:0.0} | {ortAlone:0.0} | {Cell(tfjs, "0.00")} | {Cell(pipeline / tfjs, "0.0")}× | {Cell(ortAlone / tfjs, "0.0")}× | {pipeline / ortAlone:0.00} | " +
                    $"{PerImage(stages.Preprocess):0.00} | {PerImage(stages.Inference):0.00} | {PerImage(stages.Postprocess):0.00} | {LoadAverage()} |"));
            }
        }
        Console.WriteLine();
        Console.WriteLine($"load average after: {LoadAverage()}");
        return 0;

        static string Cell(double value, string format) => double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>The same ONNX file in a bare InferenceSession (default options), input zeros prepared once, outputs read.</summary>
    private sealed class OrtAlone : IDisposable
    {
        private readonly InferenceSession _session;
        private readonly List<NamedOnnxValue> _feeds = [];

        public OrtAlone(string onnxPath)
        {
            _session = new InferenceSession(onnxPath);
            foreach (var (name, meta) in _session.InputMetadata)
            {
                var shape = meta.Dimensions.Select(d => d < 0 ? 1 : d).ToArray();
                var length = shape.Aggregate(1, (a, b) => a * b);
                _feeds.Add(meta.ElementType == typeof(int)
                    ? NamedOnnxValue.CreateFromTensor(name, new DenseTensor<int>(new int[length], shape))
                    : NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(new float[length], shape)));
            }
        }

        public void Run()
        {
            using var results = _session.Run(_feeds);
            foreach (var r in results)
            {
                _ = r.Value;
            }
        }

        public void Dispose() => _session.Dispose();
    }

    private static double Tfjs(string modelJson, int runs)
    {
        var script = Path.Combine(BenchAssets.RepoRoot, "bench", "node", "tfjs-bench.mjs");
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { script, modelJson, "--runs", runs.ToString(CultureInfo.InvariantCulture), "--warmup", "2" })
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start node");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith('{'));
        if (process.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"tfjs-bench.mjs failed ({process.ExitCode}): {stderr.Result}{stdout}; run scripts/install-test-deps.sh first");
        }
        using var json = JsonDocument.Parse(line);
        return json.RootElement.GetProperty("imagesPerSecond").GetDouble();
    }

    /// <summary>Warm-up calls, then <paramref name="runs"/> timed calls; <paramref name="warmedUp"/> runs between them, so a
    /// caller can snapshot a pipeline's stage timings over the timed calls only.</summary>
    private static double ImagesPerSecond(int runs, Action run, Action warmedUp)
    {
        for (var i = 0; i < Math.Max(3, runs / 10); i++)
        {
            run();
        }
        warmedUp();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++)
        {
            run();
        }
        return runs / clock.Elapsed.TotalSeconds;
    }

    private static double Median(int times, Action run)
    {
        var ms = new List<double>();
        for (var i = 0; i < times; i++)
        {
            var clock = Stopwatch.StartNew();
            run();
            ms.Add(clock.Elapsed.TotalMilliseconds);
        }
        return ms.Order().ElementAt(times / 2);
    }

    private static string LoadAverage()
    {
        try
        {
            var path = Path.Combine(Path.DirectorySeparatorChar + "proc", "loadavg");
            return File.Exists(path) ? string.Join(' ', File.ReadAllText(path).Split(' ').Take(3)) : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
