using System.Diagnostics;
using System.Globalization;
using ModelZoo.Catalog;
using ModelZoo.Store;
using ModelZoo.Training.Data;
using ModelZoo.Training.Transfer;

namespace ModelZoo.Benchmarks;

/// <summary>
/// <c>train-vs-mlnet</c>: the whole <c>zoo train</c> run on a tuxpaint-stamps task (5 top-level categories) with a
/// cold feature cache, again with a warm cache, and ML.NET 5 doing the same job on the same split, in one process.
/// </summary>
internal static class TrainComparison
{
    private static readonly string[] Classes = ["animals", "food", "plants", "town", "vehicles"];

    private sealed record MlNetResult(double Accuracy, TimeSpan Train, TimeSpan Score);

    /// <summary>Runs bench/MlNetBaseline on the same split in its own process and reads its timings.</summary>
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

    public static async Task<int> RunAsync(string[] args)
    {
        var seed = 0;
        var testdata = Environment.GetEnvironmentVariable("ZOO_TESTDATA") ?? Path.Combine(BenchAssets.RepoRoot, ".cache", "testdata");
        var stamps = Path.Combine(testdata, "tuxpaint");
        if (!Directory.Exists(stamps))
        {
            Console.Error.WriteLine($"no tuxpaint stamps under {stamps}; run scripts/fetch-test-assets.sh first");
            return 1;
        }
        var work = Path.Combine(Path.GetTempPath(), "zoo-train-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var data = Path.Combine(work, "data");
        foreach (var name in Classes)
        {
            var target = Directory.CreateDirectory(Path.Combine(data, name)).FullName;
            foreach (var file in Directory.EnumerateFiles(Path.Combine(stamps, name), "*.png", SearchOption.AllDirectories))
            {
                File.Copy(file, Path.Combine(target, Path.GetRelativePath(Path.Combine(stamps, name), file).Replace(Path.DirectorySeparatorChar, '_')));
            }
        }
        var environment = ZooSettings.FromEnvironment();
        var settings = environment with { Home = Path.Combine(work, "home") };
        var catalog = ModelCatalog.Load(settings);
        var card = catalog.Get("imagenet/resnet18/feature_vector");
        using var store = new ModelStore(settings);
        await store.PullAsync(card).ConfigureAwait(false); // not timed: both sides get the model before the clock starts

        var dataset = ImageDataset.Load(data);
        var split = dataset.Split(0.2, seed);
        Console.WriteLine($"task: {dataset.Classes.Count} classes, {dataset.Images.Count} images ({split.Train.Count} train / {split.Validation.Count} validation), seed {seed}");

        var learner = new TransferLearner(store, catalog, settings);
        TransferOptions Options(string output) => new()
        {
            BaseHandle = card.Handle,
            Data = data,
            OutputDirectory = Path.Combine(work, output),
            Name = "local/bench-" + output,
            Seed = seed,
            LearningRate = 0.01f,
        };
        var clock = Stopwatch.StartNew();
        var cold = await learner.TrainAsync(Options("cold"), null, CancellationToken.None).ConfigureAwait(false);
        var coldTime = clock.Elapsed;
        clock.Restart();
        var warm = await learner.TrainAsync(Options("warm"), null, CancellationToken.None).ConfigureAwait(false);
        var warmTime = clock.Elapsed;

        var mlnet = RunMlNet(work, split, seed);
        var mlnetTime = mlnet.Train + mlnet.Score;

        string S(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";
        string A(double? a) => a is null ? "-" : a.Value.ToString("P1", CultureInfo.InvariantCulture);
        Console.WriteLine();
        Console.WriteLine("| run | time | validation accuracy | speed-up vs ML.NET |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| ML.NET 5 (fit + score) | {S(mlnetTime)} | {A(mlnet.Accuracy)} | 1.00× |");
        Console.WriteLine($"| zoo train, cold cache | {S(coldTime)} | {A(cold.Metrics.ValidationAccuracy)} | {mlnetTime / coldTime:0.00}× |");
        Console.WriteLine($"| zoo train, warm cache | {S(warmTime)} | {A(warm.Metrics.ValidationAccuracy)} | {mlnetTime / warmTime:0.00}× |");
        Console.WriteLine();
        Console.WriteLine($"cold breakdown: {string.Join(", ", cold.Timings.Select(t => $"{t.Stage} {S(t.Duration)}"))}; cache hits {cold.Metrics.CacheHits}, misses {cold.Metrics.CacheMisses}");
        Console.WriteLine($"warm breakdown: {string.Join(", ", warm.Timings.Select(t => $"{t.Stage} {S(t.Duration)}"))}; cache hits {warm.Metrics.CacheHits}, misses {warm.Metrics.CacheMisses}");
        Console.WriteLine($"ML.NET: fit {S(mlnet.Train)}, score {S(mlnet.Score)} (own process: ML.NET needs SkiaSharp 2.88)");
        try
        {
            Directory.Delete(work, recursive: true);
        }
        catch (IOException)
        {
        }
        return 0;
    }
}
