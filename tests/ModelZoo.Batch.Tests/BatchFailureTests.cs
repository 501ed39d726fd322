using ModelZoo.Batch.Tests.Infrastructure;
using ModelZoo.Catalog;
using ModelZoo.Store;
using ModelZoo.Tests;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Batch.Tests;

/// <summary>The broker restarting under a running worker, and an output disk that is full: nothing is lost either way.</summary>
[Collection(RabbitCollection.Name)]
public sealed class BatchFailureTests(RabbitBroker broker) : IDisposable
{
    private const string Model = "imagenet/resnet18/feature_vector";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "zoo-batch-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task A_worker_reconnects_after_the_broker_restarts_mid_run_and_every_image_is_collected()
    {
        await PullModelAsync();
        var inputs = Path.Combine(_root, "in");
        var images = CopyStamps(inputs, 30);
        var output = Path.Combine(_root, "out");
        const string job = "restart";
        var submit = await ZooProcess.RunAsync("batch", "submit", "--broker", broker.Uri, "--job", job, "--model", Model, "--task", "embed", inputs);
        Assert.True(submit.ExitCode == 0, submit.Output);

        using var worker = ZooProcess.Start("batch", "work", "--broker", broker.Uri, "--job", job, "--out", output, "--until-empty",
            "--prefetch", "2", "--threads", "1", "--worker-id", "steady");
        var results = Path.Combine(output, "worker-steady.jsonl");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Lines(results) < 3 && clock.Elapsed < TimeSpan.FromMinutes(4) && !worker.HasExited)
        {
            await Task.Delay(100);
        }
        Assert.False(worker.HasExited, $"the worker ended before the broker could be restarted under it:\n{worker.Output}");
        await broker.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await broker.StartAsync();
        await worker.WaitAsync(TimeSpan.FromMinutes(6));
        Assert.True(worker.ExitCode == 0, worker.Output);

        var report = BatchCollector.Collect(output, Path.Combine(_root, "all.jsonl"), images);
        Assert.Empty(report.Missing);
        Assert.Equal(30, report.Written);
        await using var session = await BatchBroker.ConnectAsync(broker.Uri, "test");
        Assert.Equal((0L, 0L), ((await session.CountsAsync(job)).Pending, (await session.CountsAsync(job)).Failed));
    }

    [Fact]
    public async Task A_worker_whose_output_disk_is_full_stops_with_a_clear_error_and_acknowledges_nothing()
    {
        await PullModelAsync();
        var inputs = Path.Combine(_root, "full");
        var images = CopyStamps(inputs, 6);
        var output = Path.Combine(_root, "full-out");
        Directory.CreateDirectory(output);
        const string job = "diskfull";
        var submit = await ZooProcess.RunAsync("batch", "submit", "--broker", broker.Uri, "--job", job, "--model", Model, "--task", "embed", inputs);
        Assert.True(submit.ExitCode == 0, submit.Output);

        // Every write to /dev/full fails with ENOSPC, as on a full disk.
        var full = Path.Combine(output, "worker-full.jsonl");
        File.CreateSymbolicLink(full, "/dev/full");
        var (code, printed) = await ZooProcess.RunAsync("batch", "work", "--broker", broker.Uri, "--job", job, "--out", output, "--until-empty",
            "--threads", "1", "--worker-id", "full");
        Assert.Equal(1, code);
        Assert.Contains("cannot write results", printed, StringComparison.Ordinal);
        Assert.Contains("free disk space", printed, StringComparison.Ordinal);

        await using (var session = await BatchBroker.ConnectAsync(broker.Uri, "test"))
        {
            // Unacknowledged messages come back once the dead worker's connection is gone.
            var pending = 0L;
            for (var i = 0; i < 50 && pending < 6; i++)
            {
                pending = (await session.CountsAsync(job)).Pending;
                await Task.Delay(100);
            }
            Assert.Equal(6, pending);
        }
        // Space is freed: the full "disk" goes away and a worker takes the job up again.
        File.Delete(full);
        var (again, againOutput) = await ZooProcess.RunAsync("batch", "work", "--broker", broker.Uri, "--job", job, "--out", output, "--until-empty",
            "--threads", "1", "--worker-id", "roomy");
        Assert.True(again == 0, againOutput);
        var report = BatchCollector.Collect(output, Path.Combine(_root, "full.jsonl"), images);
        Assert.Empty(report.Missing);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static async Task PullModelAsync()
    {
        using var store = new ModelStore(SharedStore.Settings);
        await store.OpenAsync(ModelCatalog.LoadBuiltin().Get(Model));
    }

    private static List<string> CopyStamps(string folder, int count)
    {
        var all = Directory.EnumerateFiles(TestAssets.ImageFolder("tuxpaint"), "*.png", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).ToList();
        Directory.CreateDirectory(folder);
        return Enumerable.Range(0, count).Select(i =>
        {
            var source = all[(i * 7 + 3) % all.Count];
            var target = Path.Combine(folder, $"{i:000}-{Path.GetFileName(source)}");
            File.Copy(source, target);
            return Path.GetFullPath(target);
        }).ToList();
    }

    private static int Lines(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Count(c => c == '\n');
    }
}
