using System.Diagnostics;
using System.Globalization;
using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Onnx;
using ModelZoo.Quantization;
using ModelZoo.Store;
using ModelZoo.Training.Data;
using ModelZoo.Training.Transfer;

namespace ModelZoo.Benchmarks;

/// <summary>
/// <c>quantize-classifier [--sets a,b,…] [--calibration N] [--seed N] [--tails 0,2] [--methods minmax,entropy,percentile] [--no-train]</c>: on each Tux Paint set of
/// <c>train-vs-mlnet</c>, the split <c>zoo train</c> makes (80/20), then
/// (1) the exported one-file classifier quantized with each calibration method and float tail, calibrated on N of
/// its training images, its top-1 agreement with fp32 measured on the held-out images; (2) the ResNet-18 backbone
/// quantized on the same N training images and <c>zoo train</c> at its defaults on the fp32 and the int8 backbone:
/// held-out accuracy of each. Accuracy and agreement do not depend on the machine's load.
/// </summary>
internal static class QuantizeClassifier
{
    private const string Backbone = "imagenet/resnet18/feature_vector";

    public static async Task<int> RunAsync(string[] args)
    {
        var seed = int.Parse(Option(args, "--seed") ?? "0", CultureInfo.InvariantCulture);
        var calibrationCount = int.Parse(Option(args, "--calibration") ?? "60", CultureInfo.InvariantCulture);
        var wanted = (Option(args, "--sets") ?? "tux-top5,tux-top5b").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var tails = (Option(args, "--tails") ?? "0,2").Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        var methods = (Option(args, "--methods") ?? "minmax,entropy,percentile").Split(',')
            .Select(m => Enum.Parse<CalibrationMethod>(m, ignoreCase: true)).ToArray();
        var skipTraining = args.Contains("--no-train");
        var environment = ZooSettings.FromEnvironment();
        var sharedHome = Path.Combine(BenchAssets.RepoRoot, ".cache", "zoo-home");
        var storeSettings = Environment.GetEnvironmentVariable("ZOO_HOME") is null && Directory.Exists(sharedHome) ? environment with { Home = sharedHome } : environment;
        var backboneCard = ModelCatalog.Load(storeSettings).Get(Backbone);
        using var store = new ModelStore(storeSettings);
        var backbone = await store.OpenAsync(backboneCard).ConfigureAwait(false);
        var backboneModel = OnnxModel.Load(backbone.ModelPath);
        var backbonePre = OnnxModel.Load(backbone.PathOf(backboneCard.Input!.PreprocessGraph!));
        Console.WriteLine($"quantize-classifier: seed {seed}, {calibrationCount} calibration images from each set's training split, load average {LoadAverage()}");

        var agreementRows = new List<string>();
        var trainRows = new List<string>();
        foreach (var name in wanted)
        {
            var set = TrainComparison.Sets.FirstOrDefault(s => s.Name == name);
            if (set is null)
            {
                Console.Error.WriteLine($"unknown set '{name}'; use {string.Join(", ", TrainComparison.Sets.Select(s => s.Name))}");
                return 2;
            }
            var work = Path.Combine(Path.GetTempPath(), "zoo-quantize-classifier-" + Guid.NewGuid().ToString("N")[..8]);
            var data = Path.Combine(work, set.Name);
            var images = new List<RgbImage>();
            try
            {
                if (!TrainComparison.Materialise(set, data))
                {
                    return 1;
                }
                var dataset = ImageDataset.Load(data);
                var split = dataset.Split(0.2, seed);
                var calibrationPaths = Int8Backbone.CalibrationPaths(split.Train.Select(i => i.Path), calibrationCount);
                var heldOutPaths = split.Validation.Select(i => i.Path).Order(StringComparer.Ordinal).ToList();
                Console.WriteLine($"{set.Name}: {dataset.Classes.Count} classes, {split.Train.Count} train / {split.Validation.Count} held out; calibration {calibrationPaths.Count} training images");

                var settings = environment with { Home = Path.Combine(work, "home") };
                var fp32 = await Train(store, settings, Backbone, data, Path.Combine(work, "out-fp32"), "local/bench-fp32", seed).ConfigureAwait(false);

                var calibration = calibrationPaths.Select(p => ImageDecoder.Decode(p)).ToList();
                var heldOut = heldOutPaths.Select(p => ImageDecoder.Decode(p)).ToList();
                images.AddRange(calibration);
                images.AddRange(heldOut);

                // (1) The one-file classifier, each method and float tail.
                using (var userStore = new ModelStore(settings))
                {
                    var classifierCard = fp32.Card;
                    var local = await userStore.OpenAsync(classifierCard).ConfigureAwait(false);
                    var model = OnnxModel.Load(local.ModelPath);
                    var pre = classifierCard.Input?.PreprocessGraph is { } g ? OnnxModel.Load(local.PathOf(g)) : null;
                    var reference = Compose(pre, model, classifierCard.Input!);
                    foreach (var tail in tails)
                    {
                        foreach (var method in methods)
                        {
                            var options = new QuantizationOptions { Method = method, FloatTail = tail, MinimumAgreement = 0 };
                            var clock = Stopwatch.StartNew();
                            var q = StaticQuantizer.Quantize(model, pre, classifierCard, calibration, options);
                            var seconds = clock.Elapsed.TotalSeconds;
                            var held = StaticQuantizer.MeasureAgreement(reference, Compose(q.Preprocess, q.Model, classifierCard.Input!), classifierCard, heldOut);
                            var row = string.Create(CultureInfo.InvariantCulture,
                                $"| {set.Name} | {options.MethodName} | {tail} | {q.Agreement.Value:P1} | **{held.Value:P1}** ({Math.Round(held.Value * held.Images)}/{held.Images}) | {held.Minimum:F4} | {seconds:0.0} s |");
                            Console.WriteLine(row);
                            agreementRows.Add(row);
                        }
                    }
                }

                if (skipTraining)
                {
                    continue;
                }

                // (2) zoo train on the int8 backbone, calibrated on the same training images, at the defaults.
                var int8Handle = "local/bench-resnet18-int8";
                var int8 = (await Int8Backbone.QuantizeAsync(store, backboneCard, settings, int8Handle, data, calibrationPaths, Path.Combine(work, "int8")).ConfigureAwait(false)).Model;
                using var int8Store = new ModelStore(settings);
                var onInt8 = await Train(int8Store, settings, int8Handle, data, Path.Combine(work, "out-int8"), "local/bench-int8", seed).ConfigureAwait(false);
                var backboneHeld = StaticQuantizer.MeasureAgreement(Compose(backbonePre, backboneModel, backboneCard.Input!),
                    Compose(int8.Preprocess, int8.Model, backboneCard.Input!), backboneCard, heldOut);
                var a = fp32.Metrics.ValidationAccuracy ?? double.NaN;
                var b = onInt8.Metrics.ValidationAccuracy ?? double.NaN;
                var trainRow = string.Create(CultureInfo.InvariantCulture,
                    $"| {set.Name} | {split.Train.Count} / {split.Validation.Count} | {Pair(backboneHeld)} | {a:P1} | {b:P1} | {(b - a) * 100:+0.0;-0.0;0.0} |");
                Console.WriteLine(trainRow);
                trainRows.Add(trainRow);
            }
            finally
            {
                foreach (var image in images)
                {
                    image.Dispose();
                }
                try
                {
                    Directory.Delete(work, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine($"load average at the end: {LoadAverage()}");
        Console.WriteLine("| set | method | float tail | top-1 agreement, calibration images | top-1 agreement, held-out images | mean cosine of the probabilities, held out | quantize time |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        agreementRows.ForEach(Console.WriteLine);
        Console.WriteLine();
        Console.WriteLine("| set | train / held out | int8 backbone feature cosine, held out (mean / min) | zoo train, fp32 backbone | zoo train, int8 backbone | difference (points) |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        trainRows.ForEach(Console.WriteLine);
        return 0;

        static string Pair(QuantizationAgreement x) => string.Create(CultureInfo.InvariantCulture, $"{x.Value:F4} / {x.Minimum:F4}");
    }

    private static async Task<TransferResult> Train(ModelStore store, ZooSettings settings, string baseHandle, string data, string output, string name, int seed) =>
        await new TransferLearner(store, ModelCatalog.Load(settings), settings).TrainAsync(new TransferOptions
        {
            BaseHandle = baseHandle,
            Data = data,
            OutputDirectory = output,
            Name = name,
            Seed = seed,
        }, null, CancellationToken.None).ConfigureAwait(false);

    private static OnnxModel Compose(OnnxModel? preprocess, OnnxModel model, InputSpec spec) =>
        preprocess is null ? model : GraphComposer.Prepend(preprocess, model, spec.Name);

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
