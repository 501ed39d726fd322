using System.Diagnostics;
using System.Globalization;
using ModelZoo.Catalog;
using ModelZoo.Store;
using ModelZoo.Tasks;

namespace ModelZoo.Benchmarks;

/// <summary>
/// What verifying a model on load costs: the SHA-256 of every file the first time a process opens the model, against
/// opening it again in the same process (the stamp says it is unchanged, nothing is hashed) and against creating the
/// ONNX Runtime session, which happens on every load anyway. Run with
/// <c>dotnet run -c Release --project bench/ModelZoo.Benchmarks -- verify-on-load [--runs N] [--handle H]</c>.
/// Each run moves the files' last-write time (their bytes stay the same) so that the next open hashes them again.
/// </summary>
internal static class VerifyOnLoad
{
    public static int Run(string[] args)
    {
        var runs = int.Parse(args.SkipWhile(a => a != "--runs").Skip(1).FirstOrDefault() ?? "10", CultureInfo.InvariantCulture);
        var handle = args.SkipWhile(a => a != "--handle").Skip(1).FirstOrDefault() ?? "imagenet/resnet18/feature_vector";
        var settings = ZooSettings.FromEnvironment();
        var card = ModelCatalog.Load(settings).Get(handle);
        using var store = new ModelStore(settings);
        var local = store.OpenAsync(card).GetAwaiter().GetResult();
        var bytes = card.Files.Sum(f => f.Size);

        var hashed = new List<double>();
        var stamped = new List<double>();
        var session = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            foreach (var path in local.Files.Values)
            {
                File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(-run - 1));
            }
            hashed.Add(Time(() => store.TryOpen(card)));
            stamped.Add(Time(() => store.TryOpen(card)));
            session.Add(Time(() => FeatureExtractor.Open(local).Dispose()));
        }

        var hash = Median(hashed);
        var open = Median(session);
        Console.WriteLine($"verify-on-load: {handle}, {card.Files.Count} file(s), {bytes / 1048576.0:0.0} MiB, {runs} runs, " +
                          $"{Environment.ProcessorCount} cores, load {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| model | MiB | first open: hash ms | MB/s | later opens: stamp ms | session open ms | hash ÷ session |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {handle} | {bytes / 1048576.0:0.0} | {hash:0.0} | {bytes / 1e6 / (hash / 1000):0} | {Median(stamped):0.00} | {open:0.0} | {hash / open:0.00} |"));
        return 0;
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
}
