using System.Text.Json;
using ModelZoo.Batch.Tests.Infrastructure;
using ModelZoo.Catalog;
using ModelZoo.Store;
using ModelZoo.Tests;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Batch.Tests;

/// <summary>
/// A whole batch job on a real broker with workers as separate processes: 150 Tux Paint stamps and one corrupt file,
/// three workers, one killed with SIGKILL mid-run and started again under the same name.
/// </summary>
[Collection(RabbitCollection.Name)]
public sealed class BatchJobTests(RabbitBroker broker) : IDisposable
{
    private const string Model = "imagenet/resnet18/feature_vector";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "zoo-batch-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task Every_image_is_collected_once_with_zoo_embeds_vectors_despite_a_killed_worker_and_the_corrupt_one_is_dead_lettered()
    {
        await PullModelAsync();
        var inputs = Path.Combine(_root, "in");
        var images = CopyStamps(inputs, 150);
        var corrupt = Path.Combine(inputs, "corrupt.png");
        await File.WriteAllBytesAsync(corrupt, [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4, 5]);
        var output = Path.Combine(_root, "out");
        const string job = "stamps";

        var submit = await ZooProcess.RunAsync("batch", "submit", "--broker", broker.Uri, "--job", job, "--model", Model, "--task", "embed",
            "--attempts", "2", inputs);
        Assert.True(submit.ExitCode == 0, submit.Output);
        Assert.Contains("submitted 151 image(s) in 151 message(s)", submit.Output, StringComparison.Ordinal);

        string[] Work(string id) => ["batch", "work", "--broker", broker.Uri, "--job", job, "--out", output, "--until-empty",
            "--prefetch", "4", "--threads", "1", "--worker-id", id];
        var workers = new List<ZooProcess>();
        try
        {
            workers.AddRange(new[] { "w1", "w2", "w3" }.Select(id => ZooProcess.Start(Work(id))));
            var victimResults = Path.Combine(output, "worker-w1.jsonl");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (LineCount(victimResults) < 5 && clock.Elapsed < TimeSpan.FromMinutes(4) && !workers[0].HasExited)
            {
                await Task.Delay(100);
            }
            Assert.False(workers[0].HasExited, $"worker w1 ended before it could be killed mid-run:\n{workers[0].Output}");
            workers[0].Kill();
            var writtenBeforeKill = LineCount(victimResults);
            // The same worker comes back under its name and appends to its own file.
            workers.Add(ZooProcess.Start(Work("w1")));
            foreach (var worker in workers.Skip(1))
            {
                await worker.WaitAsync(TimeSpan.FromMinutes(8));
                Assert.True(worker.ExitCode == 0, worker.Output);
            }
            Assert.True(writtenBeforeKill >= 5, "the killed worker had written results");
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Dispose();
            }
        }

        await using (var session = await BatchBroker.ConnectAsync(broker.Uri, "test"))
        {
            var (pending, failed, _) = await session.CountsAsync(job);
            Assert.Equal(0, pending);
            Assert.Equal(1, failed);
            var (message, reason) = Assert.Single(await session.PeekDeadAsync(job, 10));
            Assert.Equal(corrupt, Assert.Single(message!.Items).Path);
            Assert.Contains("corrupt.png", reason, StringComparison.Ordinal);
            Assert.Contains("image-", reason, StringComparison.Ordinal);
        }

        var merged = Path.Combine(_root, "all.jsonl");
        var collect = await ZooProcess.RunAsync("batch", "collect", "--out", output, "--into", merged, inputs);
        // The corrupt input has no result, so collect lists it and exits 1.
        Assert.True(collect.ExitCode == 1, collect.Output);
        var missing = collect.Output.Split('\n').Where(l => l.StartsWith("missing ", StringComparison.Ordinal)).ToList();
        Assert.Equal("missing " + corrupt, Assert.Single(missing).TrimEnd());

        var lines = File.ReadAllLines(merged);
        var collected = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(150, collected.Count);
        Assert.Equal(images.Order(StringComparer.Ordinal), collected.Select(r => r.GetProperty("path").GetString()!));
        var written = Directory.EnumerateFiles(output, "worker-*.jsonl").Sum(f => BatchResultLog.Read(f).Count());
        Assert.True(written >= 150, $"the workers wrote {written} results for 150 images");

        var embedFile = Path.Combine(_root, "embed.json");
        var embed = await ZooProcess.RunAsync(["embed", Model, .. images, "--format", "json", "--out", embedFile]);
        Assert.True(embed.ExitCode == 0, embed.Output);
        using var reference = JsonDocument.Parse(await File.ReadAllTextAsync(embedFile));
        var expected = reference.RootElement.EnumerateArray().ToDictionary(
            e => Path.GetFullPath(e.GetProperty("image").GetString()!),
            e => e.GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()).ToArray());
        foreach (var record in collected)
        {
            var path = record.GetProperty("path").GetString()!;
            var vector = record.GetProperty("result").GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            var want = expected[path];
            Assert.Equal(want.Length, vector.Length);
            var worst = want.Zip(vector, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst <= 1e-4f * Math.Max(1f, want.Max(Math.Abs)), $"{path}: the batch vector differs from zoo embed's by {worst}");
            Assert.Equal(BatchItem.HashFile(path), record.GetProperty("sha256").GetString());
        }
    }

    [Fact]
    public async Task Submit_to_a_broker_that_is_down_fails_with_a_clean_error_and_exit_code_1()
    {
        var inputs = Path.Combine(_root, "down");
        CopyStamps(inputs, 1);
        var port = FreeClosedPort();
        var (code, output) = await ZooProcess.RunAsync("batch", "submit", "--broker", $"amqp://guest:guest@127.0.0.1:{port}/", "--job", "down",
            "--model", Model, "--task", "embed", inputs);
        Assert.Equal(1, code);
        Assert.Contains($"cannot reach the RabbitMQ broker at 127.0.0.1:{port}", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("guest:guest", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shards_split_the_inputs_disjointly_and_a_rerun_of_a_shard_resumes_without_redoing_anything()
    {
        await PullModelAsync();
        var inputs = Path.Combine(_root, "shards");
        var images = CopyStamps(inputs, 24);
        var output = Path.Combine(_root, "shard-out");
        var card = ModelCatalog.LoadBuiltin().Get(Model);
        using var store = new ModelStore(SharedStore.Settings with { Offline = true });
        var options = new Tasks.ImageTaskOptions { Session = new Runtime.SessionSettings { IntraOpThreads = 1 } };
        var total = 0;
        for (var i = 0; i < 3; i++)
        {
            var (done, skipped, failed) = await BatchShard.Create(i, 3).RunAsync(card, BatchTask.Embed, store, images, output, options);
            Assert.Empty(failed);
            Assert.Equal(0, skipped);
            total += done;
        }
        Assert.Equal(24, total);
        var perShard = Enumerable.Range(0, 3).Select(i => BatchCollector.Done(BatchShard.Create(i, 3).ResultsPath(output))).ToList();
        Assert.Equal(24, perShard.SelectMany(s => s).Select(k => k.Path).Distinct().Count());
        Assert.True(perShard.All(s => s.Count is > 0 and < 24), "a hash split of 24 inputs gives every one of 3 shards some, not all");

        var again = await BatchShard.Create(1, 3).RunAsync(card, BatchTask.Embed, store, images, output, options);
        Assert.Equal((0, perShard[1].Count), (again.Done, again.Skipped));
        var report = BatchCollector.Collect(output, Path.Combine(_root, "shards.jsonl"), images);
        Assert.Equal((24, 0), (report.Written, report.Duplicates));
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

    /// <summary>Copies <paramref name="count"/> stamps spread over every category, under unique names; returns their full paths.</summary>
    private static List<string> CopyStamps(string folder, int count)
    {
        var all = Directory.EnumerateFiles(TestAssets.ImageFolder("tuxpaint"), "*.png", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).ToList();
        Assert.True(all.Count >= count, $"only {all.Count} Tux Paint stamps were fetched; run scripts/fetch-test-assets.sh.");
        Directory.CreateDirectory(folder);
        var step = all.Count / count;
        var copied = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var source = all[i * step];
            var target = Path.Combine(folder, $"{i:000}-{Path.GetFileName(source)}");
            File.Copy(source, target);
            copied.Add(Path.GetFullPath(target));
        }
        return copied;
    }

    private static int LineCount(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var count = 0;
        int b;
        while ((b = stream.ReadByte()) >= 0)
        {
            count += b == '\n' ? 1 : 0;
        }
        return count;
    }

    private static int FreeClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
