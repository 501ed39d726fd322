using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using ModelZoo.Catalog;
using ModelZoo.Store;
using ModelZoo.Tasks;
using ModelZoo.Training.Data;
using ModelZoo.Training.Features;
using ModelZoo.Training.Heads;
using ModelZoo.Training.Transfer;

namespace ModelZoo.Benchmarks;

/// <summary>
/// <c>head-solve [--sets a,b,…] [--runs N] [--threads T]</c>: the default <see cref="LinearHeadSolver.Solve"/> on the real
/// ResNet-18 features of the <c>train-vs-mlnet</c> sets (same split: stratified 80/20, seed 0), timed as process CPU
/// time (meaningful on a loaded machine, unlike wall time), with what it chose: the L2 strength, the selection head's
/// held-out accuracy and a hash of the exported head, so that a faster solver can be checked to choose the same.
/// The first solve of the process is reported on its own (it includes JIT compilation, as in a one-shot CLI run);
/// run one set per process for that column to mean the same on every row.
/// Features are extracted once into a feature cache under the temp folder and read back from it afterwards.
/// </summary>
internal static class HeadSolveCost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var runs = int.Parse(Option(args, "--runs") ?? "5", CultureInfo.InvariantCulture);
        var threads = int.Parse(Option(args, "--threads") ?? Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var wanted = (Option(args, "--sets") ?? "tux-leaf6,tux-top5,tux-top5b,tux-all12,emoji").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var environment = ZooSettings.FromEnvironment();
        var sharedHome = Path.Combine(BenchAssets.RepoRoot, ".cache", "zoo-home");
        var storeSettings = Environment.GetEnvironmentVariable("ZOO_HOME") is null && Directory.Exists(sharedHome) ? environment with { Home = sharedHome } : environment;
        var card = ModelCatalog.Load(storeSettings).Get("imagenet/resnet18/feature_vector");
        using var store = new ModelStore(storeSettings);
        await store.PullAsync(card).ConfigureAwait(false);
        // A cache of its own that outlives the run, so that a second run reads every vector back.
        var settings = environment with { Home = Path.Combine(Path.GetTempPath(), "zoo-head-solve-bench") };
        var catalog = ModelCatalog.Load(settings);
        Console.WriteLine($"threads {threads}, runs {runs}, load average {TrainComparison.LoadAverage()}");
        Console.WriteLine("| set | train / held out | L2 chosen | selection | held-out accuracy | head hash | CPU, first solve | CPU per solve | wall per solve |");
        Console.WriteLine("|---|---:|---:|---|---:|---|---:|---:|---:|");
        foreach (var name in wanted)
        {
            var work = Path.Combine(Path.GetTempPath(), "zoo-head-solve-" + Guid.NewGuid().ToString("N")[..8]);
            var data = Path.Combine(work, name);
            try
            {
                if (!TrainComparison.Materialise(name, data))
                {
                    return 1;
                }

                var (train, validation) = await FeaturesAsync(store, catalog, settings, card, data).ConfigureAwait(false);
                var solver = new LinearHeadSolver(new LinearHeadSolverOptions { MaxDegreeOfParallelism = threads });
                // The first solve in the process pays for JIT compilation, as the one solve of a `zoo train` run does.
                var process = Process.GetCurrentProcess();
                process.Refresh();
                var cpu = process.TotalProcessorTime;
                var solution = solver.Solve(train, validation);
                process.Refresh();
                var first = (process.TotalProcessorTime - cpu).TotalMilliseconds;
                cpu = process.TotalProcessorTime;
                var wall = Stopwatch.StartNew();
                for (var r = 0; r < runs; r++)
                {
                    solution = solver.Solve(train, validation);
                }

                wall.Stop();
                process.Refresh();
                var cpuPer = (process.TotalProcessorTime - cpu).TotalMilliseconds / runs;
                var accuracy = validation is null ? double.NaN : solution.SelectionHead.Evaluate(validation).Accuracy;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {train.Count} / {validation?.Count ?? 0} | {solution.L2:0.###} | {solution.Selection} | {accuracy:P1} | {Hash(solution.Head)} | {first:0.0} ms | {cpuPer:0.0} ms | {wall.Elapsed.TotalMilliseconds / runs:0.0} ms |"));
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

        return 0;
    }

    /// <summary>Training and held-out features of the split <c>zoo train</c> makes at its defaults.</summary>
    private static async Task<(FeatureSet Train, FeatureSet? Validation)> FeaturesAsync(ModelStore store, ModelCatalog catalog, ZooSettings settings, ModelCard card, string data)
    {
        var options = new TransferOptions { BaseHandle = card.Handle, Data = data, OutputDirectory = Path.Combine(data, "..", "out"), Name = "local/head-solve-bench", Overwrite = true };
        var b = await TrainingBase.ResolveAsync(options, catalog, store, "transfer learning", null, CancellationToken.None).ConfigureAwait(false);
        var key = FeatureKeys.Backbone(b.BaseCard.ModelFile.Sha256, b.Backbone.FeatureTensor, b.PreprocessSha);
        using var extractor = BackboneFeatureExtractor.Open(b.Backbone, b.Spec, b.Preprocess, key, new FeatureCache(settings), new ImageTaskOptions());
        var run = await extractor.ExtractAsync(b.Dataset.Images.Select(i => i.Path).ToList()).ConfigureAwait(false);
        var features = run.Images.Where(i => i.Succeeded).ToDictionary(i => i.Path, i => i.Features![0], StringComparer.Ordinal);
        var split = b.Dataset.Split(options.ValidationSplit, options.Seed);
        FeatureSet Set(IReadOnlyList<LabeledImage> images)
        {
            var d = b.Backbone.FeatureSize;
            var x = new float[images.Count * d];
            for (var i = 0; i < images.Count; i++)
            {
                features[images[i].Path].CopyTo(x, i * d);
            }

            return new FeatureSet(x, [.. images.Select(i => i.ClassIndex)], images.Count, d, b.Dataset.Classes.Count);
        }

        return (Set(split.Train), split.Validation.Count > 0 ? Set(split.Validation) : null);
    }

    private static string Hash(ClassificationHead head)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var layer in head.Layers)
        {
            sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(layer.Weight.AsSpan()));
            sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(layer.Bias.AsSpan()));
        }

        return Convert.ToHexString(sha.GetHashAndReset())[..12].ToLowerInvariant();
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
