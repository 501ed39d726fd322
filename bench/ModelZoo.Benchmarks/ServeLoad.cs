using System.Diagnostics;
using System.Globalization;
using System.Net;
using ModelZoo.Catalog;
using ModelZoo.Server;
using ModelZoo.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ModelZoo.Benchmarks;

/// <summary>
/// Load test of <c>zoo serve</c> on loopback: a fixed number of requests at a fixed concurrency against the MobileNet
/// v2 int8 classifier, with micro-batching on (<c>--max-batch 8</c>) and off (<c>--max-batch 1</c>), then an overload
/// run against a tiny queue that must answer 429s, never fail. Bounded by request count and a time cap per phase.
/// </summary>
internal static class ServeLoad
{
    private const string Handle = "imagenet/mobilenet_v2_int8/classification";

    public static async Task<int> RunAsync(string[] args)
    {
        var requests = Option(args, "--requests", 400);
        var concurrency = Option(args, "--concurrency", 16);
        var cap = TimeSpan.FromSeconds(Option(args, "--max-seconds", 90));
        var home = Path.Combine(Path.GetTempPath(), "zoo-serve-load-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var settings = new ZooSettings { Home = home };
            await PullMobileNetAsync(settings);
            var image = await File.ReadAllBytesAsync(Path.Combine(BenchAssets.RepoRoot, "samples", "dog.jpg"));
            Console.WriteLine($"serve-load: {requests} requests, concurrency {concurrency}, {Environment.ProcessorCount} cores, model {Handle}, image samples/dog.jpg");
            Console.WriteLine();
            Console.WriteLine("| run | max-batch | queue | requests | ok | 429 | other errors | req/s | p50 ms | p99 ms | mean batch |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            await PhaseAsync("batched", settings, image, requests, concurrency, maxBatch: 8, queue: 256, cap);
            await PhaseAsync("unbatched", settings, image, requests, concurrency, maxBatch: 1, queue: 256, cap);
            await PhaseAsync("overload", settings, image, requests, concurrency: 64, maxBatch: 8, queue: 4, cap);
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(home, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS to clean.
            }
        }
    }

    private static async Task PhaseAsync(string name, ZooSettings settings, byte[] image, int requests, int concurrency, int maxBatch, int queue, TimeSpan cap)
    {
        var options = new ZooServerOptions
        {
            Settings = settings with { Offline = true },
            MaxBatch = maxBatch,
            MaxWait = TimeSpan.FromMilliseconds(5),
            QueueCapacity = queue,
        };
        options.Models.Add(Handle);
        await using var app = ZooServer.Build(options, "127.0.0.1", 0);
        await app.StartAsync();
        await app.Services.GetRequiredService<ModelZoo.Server.Hosting.ModelWarmup>().Ready;
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency })
        {
            BaseAddress = ZooServer.Addresses(app)[0],
            Timeout = TimeSpan.FromMinutes(2),
        };
        var path = $"/v1/models/{Handle}:predict";
        var latencies = new List<double>(requests);
        int ok = 0, throttled = 0, failed = 0, next = -1;
        using var stop = new CancellationTokenSource(cap);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < requests && !stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.PostAsync(path, new ByteArrayContent(image), stop.Token);
                    await response.Content.ReadAsByteArrayAsync(stop.Token);
                    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref ok);
                        lock (latencies)
                        {
                            latencies.Add(elapsed);
                        }
                    }
                    else if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        Interlocked.Increment(ref throttled);
                    }
                    else
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
                catch (Exception) when (!stop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failed);
                }
                catch (OperationCanceledException)
                {
                    // Time cap reached.
                }
            }
        }).ToList();
        await Task.WhenAll(workers);
        var seconds = clock.Elapsed.TotalSeconds;
        var (batches, sum) = BatchStats(app.Services.GetRequiredService<ModelZoo.Server.Hosting.ServerMetrics>().Render());
        latencies.Sort();
        var sent = ok + throttled + failed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {maxBatch} | {queue} | {sent} | {ok} | {throttled} | {failed} | {ok / seconds:0.0} | {Percentile(latencies, 0.50):0} | {Percentile(latencies, 0.99):0} | {(batches > 0 ? sum / batches : 0):0.00} |"));
        await app.StopAsync();
    }

    /// <summary>Number of inference calls and requests they held, from the batch-size histogram (warm-up excluded).</summary>
    private static (double Batches, double Requests) BatchStats(string metrics)
    {
        double Read(string prefix) => metrics.Split('\n').Where(l => l.StartsWith(prefix, StringComparison.Ordinal))
            .Select(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)).FirstOrDefault();
        return (Read($"zoo_batch_size_count{{model=\"{Handle}\"}}") - 1, Read($"zoo_batch_size_sum{{model=\"{Handle}\"}}") - 1);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>Pulls the catalog's MobileNet card through the store, answering its download from the shared test data.</summary>
    internal static async Task PullMobileNetAsync(ZooSettings settings)
    {
        var file = SharedTestData("imagenet/mobilenetv2-12-int8.onnx");
        var card = ModelCatalog.LoadBuiltin().Get(Handle);
        using var store = new ModelStore(settings, new FileAnswer(file));
        await store.PullAsync(card);
    }

    private static string SharedTestData(string relative)
    {
        for (var dir = new DirectoryInfo(BenchAssets.RepoRoot); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "testdata", relative), Path.Combine(dir.FullName, "..", "shared", "testdata", relative) })
            {
                if (File.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }
        throw new FileNotFoundException($"shared/testdata/{relative} was not found above {BenchAssets.RepoRoot}; place the shared test data beside the repository.");
    }

    /// <summary>Answers every download with one local file, standing in for the public host (the store still checks its SHA-256).</summary>
    private sealed class FileAnswer(string path) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(File.OpenRead(path)) });
    }
}
