using System.Diagnostics;
using System.Globalization;
using ModelZoo.Catalog;
using ModelZoo.Store;
using ModelZoo.Training.Data;
using ModelZoo.Training.Transfer;

namespace ModelZoo.Benchmarks;

/// <summary>
/// <c>train-vs-mlnet [--sets a,b,…] [--seed N] [--int8] [--calibration N] [--no-old-defaults] [--extraction-batch N]</c>:
/// on each dataset, <c>zoo train</c> at its defaults and with the old
/// defaults (<c>--lr 0.001 --epochs 10</c>), each from a cold feature cache, and ML.NET 5's documented pipeline
/// (DnnFeaturizeImage ResNet-18 + LbfgsMaximumEntropy) on the same held-out split (the split <c>zoo train</c> makes,
/// 20 % of each class), printing held-out accuracy and wall time of each. <c>--int8</c> adds <c>zoo train</c> at its
/// defaults on the backbone quantized first on N (default 60) of the set's training images, from a cold feature cache;
/// the quantisation is timed on its own line, not in the train time. <c>--extraction-batch</c> sets
/// <c>TransferOptions.ExtractionBatchSize</c> for every zoo run.
/// Sets: Tux Paint category sets (<c>tux-leaf6</c>, <c>tux-top5</c>, <c>tux-top5b</c>, <c>tux-all12</c>, from
/// scripts/fetch-test-assets.sh) and the emoji quick-start set (<c>emoji</c>, from scripts/fetch-quickstart-data.sh).
/// </summary>
internal static class TrainComparison
{
    /// <summary>A benchmark set: class name → stamp folders (recursive) under the Tux Paint root, or the emoji folder.</summary>
    internal sealed record BenchSet(string Name, string Description, IReadOnlyList<(string Class, string Folder, bool Recursive)> Classes);

    internal static readonly BenchSet[] Sets =
    [
        // Leaf categories none of the tests use.
        new("tux-leaf6", "6 Tux Paint leaf categories",
        [
            ("christmas", "seasonal/christmas", false), ("vegetables", "food/vegetables", false), ("halloween", "seasonal/halloween", false),
            ("tools", "household/tools", false), ("mammals", "animals/mammals", false), ("music", "symbols/music", false),
        ]),
        // Top-level categories, every stamp below them.
        new("tux-top5", "5 Tux Paint top-level categories",
        [
            ("animals", "animals", true), ("food", "food", true), ("plants", "plants", true), ("town", "town", true), ("vehicles", "vehicles", true),
        ]),
        new("tux-top5b", "5 other Tux Paint top-level categories",
        [
            ("seasonal", "seasonal", true), ("symbols", "symbols", true), ("household", "household", true), ("clothes", "clothes", true), ("space", "space", true),
        ]),
        new("tux-all12", "12 Tux Paint top-level categories",
        [
            ("animals", "animals", true), ("clothes", "clothes", true), ("food", "food", true), ("hobbies", "hobbies", true), ("household", "household", true),
            ("plants", "plants", true), ("seasonal", "seasonal", true), ("space", "space", true), ("sports", "sports", true), ("symbols", "symbols", true),
            ("town", "town", true), ("vehicles", "vehicles", true),
        ]),
        new("emoji", "emoji quick-start set (5 Twemoji categories)", []),
    ];

    private sealed record MlNetResult(double Accuracy, TimeSpan Train, TimeSpan Score);

    /// <summary>Runs bench/MlNetBaseline on the same split in its own process and reads its result.</summary>
    private static MlNetResult RunMlNet(string work, DatasetSplit split, int seed)
    {
        var splitFile = Path.Combine(work, "split.tsv");
        File.WriteAllLines(splitFile, split.Train.Select(i => $"train\t{i.Path}\t{i.Label}")
            .Concat(split.Validation.Select(i => $"validation\t{i.Path}\t{i.Label}")));
        var project = Path.Combine(BenchAssets.RepoRoot, "bench", "MlNetBaseline", "MlNetBaseline.csproj");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "run", "-c", "Release", "--project", project, "--", splitFile, seed.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith('{'))
            ?? throw new InvalidOperationException($"ML.NET baseline failed (exit {process.ExitCode}): {output}");
        using var json = System.Text.Json.JsonDocument.Parse(line);
        var root = json.RootElement;
        return new MlNetResult(root.GetProperty("accuracy").GetDouble(),
            TimeSpan.FromSeconds(root.GetProperty("fitSeconds").GetDouble()),
            TimeSpan.FromSeconds(root.GetProperty("scoreSeconds").GetDouble()));
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>Copies the images of the set called <paramref name="name"/> into <paramref name="data"/>; false when it is unknown or missing.</summary>
    internal static bool Materialise(string name, string data)
    {
        var set = Sets.FirstOrDefault(s => s.Name == name);
        if (set is null)
        {
            Console.Error.WriteLine($"unknown set '{name}'; use {string.Join(", ", Sets.Select(s => s.Name))}");
            return false;
        }

        return Materialise(set, data);
    }

    /// <summary>Copies a set's images into <paramref name="data"/> (one folder per class); false when its source is missing.</summary>
    internal static bool Materialise(BenchSet set, string data)
    {
        var testdata = Environment.GetEnvironmentVariable("ZOO_TESTDATA") ?? Path.Combine(BenchAssets.RepoRoot, ".cache", "testdata");
        if (set.Name == "emoji")
        {
            var emoji = Path.Combine(Environment.GetEnvironmentVariable("ZOO_QUICKSTART") ?? Path.Combine(BenchAssets.RepoRoot, ".cache", "quickstart"), "emoji");
            if (!Directory.Exists(emoji))
            {
                Console.Error.WriteLine($"no emoji set under {emoji}; run scripts/fetch-quickstart-data.sh first");
                return false;
            }
            foreach (var folder in Directory.GetDirectories(emoji))
            {
                var target = Directory.CreateDirectory(Path.Combine(data, Path.GetFileName(folder))).FullName;
                foreach (var file in Directory.GetFiles(folder, "*.png"))
                {
                    File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
                }
            }
            return true;
        }

        var stamps = Path.Combine(testdata, "tuxpaint");
        foreach (var (name, folder, recursive) in set.Classes)
        {
            var source = Path.Combine(stamps, folder);
            if (!Directory.Exists(source))
            {
                Console.Error.WriteLine($"no Tux Paint stamps under {source}; run scripts/fetch-test-assets.sh first");
                return false;
            }
            var target = Directory.CreateDirectory(Path.Combine(data, name)).FullName;
            foreach (var file in Directory.EnumerateFiles(source, "*.png", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly))
            {
                File.Copy(file, Path.Combine(target, Path.GetRelativePath(source, file).Replace(Path.DirectorySeparatorChar, '_')));
            }
        }
        return true;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var seed = int.Parse(Option(args, "--seed") ?? "0", CultureInfo.InvariantCulture);
        var int8 = args.Contains("--int8");
        var calibrationCount = int.Parse(Option(args, "--calibration") ?? "60", CultureInfo.InvariantCulture);
        var runOld = !args.Contains("--no-old-defaults");
        var extractionBatch = int.Parse(Option(args, "--extraction-batch") ?? new TransferOptions { BaseHandle = "", Data = "", OutputDirectory = "" }.ExtractionBatchSize.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        Console.WriteLine($"train-vs-mlnet: CPU {QuantizeThroughput.CpuFlags()}, {Environment.ProcessorCount} cores, load average {LoadAverage()}, extraction batch {extractionBatch}");
        var wanted = (Option(args, "--sets") ?? string.Join(",", Sets.Select(s => s.Name))).Split(',', StringSplitOptions.RemoveEmptyEntries);
        var environment = ZooSettings.FromEnvironment();
        // The base model comes from the shared test store when there is one, so that nothing is downloaded.
        var sharedHome = Path.Combine(BenchAssets.RepoRoot, ".cache", "zoo-home");
        var storeSettings = Environment.GetEnvironmentVariable("ZOO_HOME") is null && Directory.Exists(sharedHome) ? environment with { Home = sharedHome } : environment;
        var card = ModelCatalog.Load(storeSettings).Get("imagenet/resnet18/feature_vector");
        using var store = new ModelStore(storeSettings);
        await store.PullAsync(card).ConfigureAwait(false); // not timed: every side gets the model before its clock starts

        await WarmUpAsync(store, card, environment).ConfigureAwait(false);
        var rows = new List<string>();
        var int8Rows = new List<string>();
        foreach (var name in wanted)
        {
            var set = Sets.FirstOrDefault(s => s.Name == name);
            if (set is null)
            {
                Console.Error.WriteLine($"unknown set '{name}'; use {string.Join(", ", Sets.Select(s => s.Name))}");
                return 2;
            }

            var work = Path.Combine(Path.GetTempPath(), "zoo-train-bench-" + Guid.NewGuid().ToString("N")[..8]);
            var data = Path.Combine(work, set.Name);
            try
            {
                if (!Materialise(set, data))
                {
                    return 1;
                }

                var dataset = ImageDataset.Load(data);
                var split = dataset.Split(0.2, seed);
                Console.WriteLine($"{set.Name}: {set.Description}: {dataset.Classes.Count} classes, {dataset.Images.Count} images ({split.Train.Count} train / {split.Validation.Count} held out), seed {seed}");

                // Each zoo run gets its own home, so each starts from a cold feature cache.
                async Task<(TransferResult Result, TimeSpan Time)> Zoo(string label, int? epochs, float? rate, Training.Heads.LinearHeadSolverOptions? solver = null, string? home = null,
                    string? baseHandle = null, ModelStore? baseStore = null)
                {
                    var settings = environment with { Home = Path.Combine(work, "home-" + (home ?? label)) };
                    var learner = new TransferLearner(baseStore ?? store, ModelCatalog.Load(settings), settings);
                    var clock = Stopwatch.StartNew();
                    var result = await learner.TrainAsync(new TransferOptions
                    {
                        BaseHandle = baseHandle ?? card.Handle,
                        Data = data,
                        OutputDirectory = Path.Combine(work, "out-" + label),
                        Name = "local/bench-" + label,
                        Seed = seed,
                        Epochs = epochs,
                        LearningRate = rate,
                        SolverOptions = solver ?? new(),
                        ExtractionBatchSize = extractionBatch,
                    }, null, CancellationToken.None).ConfigureAwait(false);
                    return (result, clock.Elapsed);
                }

                var defaults = await Zoo("defaults", null, null).ConfigureAwait(false);
                var old = runOld ? await Zoo("old-defaults", 10, 0.001f).ConfigureAwait(false) : default;
                (TransferResult Result, TimeSpan Time) onInt8 = default;
                var quantizeTime = TimeSpan.Zero;
                if (int8)
                {
                    // Quantized and registered in the int8 run's own home, which has no features cached yet; the
                    // model is copied into that store before the train clock starts, as the fp32 model is.
                    const string int8Handle = "local/bench-resnet18-int8";
                    var int8Settings = environment with { Home = Path.Combine(work, "home-int8") };
                    var calibrationPaths = Int8Backbone.CalibrationPaths(split.Train.Select(i => i.Path), calibrationCount);
                    var quantized = await Int8Backbone.QuantizeAsync(store, card, int8Settings, int8Handle, data, calibrationPaths, Path.Combine(work, "int8")).ConfigureAwait(false);
                    using var int8Store = new ModelStore(int8Settings);
                    await int8Store.PullAsync(quantized.Card).ConfigureAwait(false);
                    quantizeTime = quantized.QuantizeTime;
                    Console.WriteLine($"  zoo quantize (minmax, {calibrationPaths.Count} training images, not in the train time): {S(quantizeTime)}, calibration cosine {quantized.Model.Agreement.Value:0.0000}");
                    onInt8 = await Zoo("int8", null, null, baseHandle: int8Handle, baseStore: int8Store).ConfigureAwait(false);
                }
                if (args.Contains("--variants"))
                {
                    // Solver variants on the warm cache of the default run: accuracy only.
                    var raw = await Zoo("raw", null, null, new Training.Heads.LinearHeadSolverOptions { StandardizeFeatures = false }, "defaults").ConfigureAwait(false);
                    Console.WriteLine($"  variant, unstandardised features: {A(raw.Result.Metrics.ValidationAccuracy)} (L2 {raw.Result.Metrics.L2:0.###})");
                    var wide = await Zoo("wide", null, null, new Training.Heads.LinearHeadSolverOptions { L2Grid = [1000, 300, 100, 30, 10, 3, 1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001] }, "defaults").ConfigureAwait(false);
                    Console.WriteLine($"  variant, wider L2 grid: {A(wide.Result.Metrics.ValidationAccuracy)} (L2 {wide.Result.Metrics.L2:0.###})");
                    var byAccuracy = await Zoo("accuracy", null, null, new Training.Heads.LinearHeadSolverOptions { SelectByAccuracy = true }, "defaults").ConfigureAwait(false);
                    Console.WriteLine($"  variant, L2 chosen by held-out accuracy: {A(byAccuracy.Result.Metrics.ValidationAccuracy)} (L2 {byAccuracy.Result.Metrics.L2:0.###})");
                    var fixedL2 = await Zoo("fixed", null, null, new Training.Heads.LinearHeadSolverOptions { L2Grid = [1] }, "defaults").ConfigureAwait(false);
                    Console.WriteLine($"  variant, L2 fixed at 1: {A(fixedL2.Result.Metrics.ValidationAccuracy)}");
                }

                var mlnet = RunMlNet(work, split, seed);
                var m = defaults.Result.Metrics;
                Console.WriteLine($"  zoo train (defaults): {A(m.ValidationAccuracy)} in {S(defaults.Time)} (L2 {m.L2:0.###} by {m.L2Selection}; " +
                    $"head {S(defaults.Result.Timings.First(t => t.Stage.StartsWith("head", StringComparison.Ordinal)).Duration)})");
                if (runOld)
                {
                    Console.WriteLine($"  zoo train --lr 0.001 --epochs 10 (old defaults): {A(old.Result.Metrics.ValidationAccuracy)} in {S(old.Time)}");
                }
                if (int8)
                {
                    Console.WriteLine($"  zoo train (defaults, int8 backbone): {A(onInt8.Result!.Metrics.ValidationAccuracy)} in {S(onInt8.Time)}");
                }
                foreach (var (label, run) in new[] { ("defaults", defaults), ("old defaults", old), ("int8 backbone", onInt8) }.Where(r => r.Item2.Result is not null))
                {
                    Console.WriteLine($"  {label} stages: " + string.Join(", ", run.Result.Timings.Select(t => $"{t.Stage} {S(t.Duration)}")));
                }
                Console.WriteLine($"  ML.NET 5 LbfgsMaximumEntropy: {A(mlnet.Accuracy)} in {S(mlnet.Train + mlnet.Score)}");
                rows.Add($"| {set.Name} | {dataset.Classes.Count} | {split.Train.Count} / {split.Validation.Count} | {A(mlnet.Accuracy)} | **{A(m.ValidationAccuracy)}** | {(runOld ? A(old.Result.Metrics.ValidationAccuracy) : "-")} | {m.L2:0.###} ({m.L2Selection}) | {S(defaults.Time)} | {(runOld ? S(old.Time) : "-")} | {S(mlnet.Train + mlnet.Score)} |");
                if (int8)
                {
                    var mlnetTime = mlnet.Train + mlnet.Score;
                    int8Rows.Add(string.Create(CultureInfo.InvariantCulture,
                        $"| {set.Name} ({split.Train.Count} / {split.Validation.Count}) | {S(defaults.Time)} | {S(onInt8.Time)} | {S(quantizeTime)} | {S(mlnetTime)} | {mlnetTime / defaults.Time:0.00}× | **{mlnetTime / onInt8.Time:0.00}×** | {A(m.ValidationAccuracy)} | {A(onInt8.Result!.Metrics.ValidationAccuracy)} | {A(mlnet.Accuracy)} |"));
                }
            }
            finally
            {
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
        Console.WriteLine("| set | classes | train / held out | ML.NET 5 LBFGS | zoo train (defaults) | zoo train --lr 0.001 --epochs 10 | L2 chosen | time, defaults (cold) | time, old defaults (cold) | time, ML.NET |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|");
        foreach (var row in rows)
        {
            Console.WriteLine(row);
        }
        if (int8)
        {
            Console.WriteLine();
            Console.WriteLine("| set (train / held out) | zoo train fp32 (cold) | zoo train int8 (cold) | zoo quantize (not in the train time) | ML.NET fit + score | ML.NET ÷ zoo fp32 | ML.NET ÷ zoo int8 | held out: zoo fp32 | zoo int8 | ML.NET |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            int8Rows.ForEach(Console.WriteLine);
        }
        return 0;
    }

    /// <summary>One untimed run on six stamps, so that JIT and ONNX Runtime start-up do not land on the first timed run.</summary>
    private static async Task WarmUpAsync(ModelStore store, ModelCard card, ZooSettings environment)
    {
        var work = Path.Combine(Path.GetTempPath(), "zoo-train-warmup-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var set = Sets[0];
            var data = Path.Combine(work, "data");
            if (!Materialise(set with { Classes = set.Classes.Take(2).ToList() }, data))
            {
                return;
            }

            foreach (var folder in Directory.GetDirectories(data))
            {
                foreach (var file in Directory.GetFiles(folder).Order(StringComparer.Ordinal).Skip(3))
                {
                    File.Delete(file);
                }
            }

            var settings = environment with { Home = Path.Combine(work, "home") };
            await new TransferLearner(store, ModelCatalog.Load(settings), settings).TrainAsync(new TransferOptions
            {
                BaseHandle = card.Handle, Data = data, OutputDirectory = Path.Combine(work, "out"), Name = "local/bench-warmup", ValidationSplit = 0,
            }, null, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string S(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    private static string A(double? a) => a is null ? "-" : a.Value.ToString("P1", CultureInfo.InvariantCulture);

    internal static string LoadAverage()
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
