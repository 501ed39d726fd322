using ModelZoo.Store;
using static ModelZoo.Tests.Store.StoreFixtures;

namespace ModelZoo.Tests.Store;

public sealed class StoreMaintenanceTests
{
    [Fact]
    public async Task Verify_DetectsCorruptedBlob_AndNextPullFetchesItAgain()
    {
        using var home = new StoreSandbox();
        using var server = new FakeRegistryServer();
        var data = Bytes(30_000, 51);
        server.AddFile("files/model.onnx", data);
        var card = Card("test/verify", File("model.onnx", $"{server.BaseUrl}files/model.onnx", data));
        using var store = OpenStore(home, server);
        await store.PullAsync(card);
        Assert.All(await store.VerifyAsync(card), v => Assert.True(v.Ok));

        // Damage the blob in place, keeping its size: the size check cannot see it, the re-hash can.
        var blob = Path.Combine(home.Store, "blobs", "sha256", card.Files[0].Sha256[..2], card.Files[0].Sha256);
        await using (var stream = new FileStream(blob, FileMode.Open, FileAccess.Write))
        {
            stream.Position = 777;
            stream.WriteByte((byte)(data[777] ^ 0x01));
        }
        Assert.True(store.IsCached(card));

        var result = Assert.Single(await store.VerifyAsync(card));

        Assert.False(result.Ok);
        Assert.Equal(card.Files[0].Sha256, result.ExpectedSha256);
        Assert.NotNull(result.ActualSha256);
        Assert.NotEqual(result.ExpectedSha256, result.ActualSha256);
        Assert.Contains("corrupt", result.Problem, StringComparison.Ordinal);
        Assert.False(store.IsCached(card));

        var local = await store.PullAsync(card);
        Assert.Equal(data, await System.IO.File.ReadAllBytesAsync(local.ModelPath));
        Assert.Equal(2, server.CountRequests("files/model.onnx"));
    }

    [Fact]
    public async Task Verify_ReportsMissingFile()
    {
        using var home = new StoreSandbox();
        using var store = OpenStore(home, server: null, offline: true);
        var card = Card("test/absent", File("model.onnx", "https://models.invalid/model.onnx", Bytes(10, 52)));

        var result = Assert.Single(await store.VerifyAsync(card));

        Assert.False(result.Ok);
        Assert.Null(result.ActualSha256);
        Assert.Contains("missing", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remove_KeepsBlobs_SoAnOfflinePullRestoresTheModel()
    {
        using var home = new StoreSandbox();
        using var server = new FakeRegistryServer();
        var data = Bytes(8_000, 53);
        server.AddFile("files/model.onnx", data);
        var card = Card("test/remove", File("model.onnx", $"{server.BaseUrl}files/model.onnx", data));
        using (var online = OpenStore(home, server))
        {
            await online.PullAsync(card);
        }
        using var offline = OpenStore(home, server, offline: true);

        Assert.True(offline.Remove(card));
        Assert.False(offline.IsCached(card));
        Assert.False(offline.Remove(card));
        var local = await offline.OpenAsync(card);

        Assert.Equal(data, await System.IO.File.ReadAllBytesAsync(local.ModelPath));
        Assert.Equal(1, server.CountRequests("files/model.onnx"));
    }

    [Fact]
    public async Task CollectGarbage_DeletesWhatNoKeptCardNeeds()
    {
        using var home = new StoreSandbox();
        using var server = new FakeRegistryServer();
        var kept = Bytes(20_000, 54);
        var dropped = Bytes(30_000, 55);
        var droppedNupkg = Zip(("tools/model.onnx", dropped));
        var keptTgz = Tgz(("package/model.onnx", kept, null));
        server.AddNpmPackage("zoo-kept", "1.0.0", keptTgz, Integrity(keptTgz));
        server.AddNuGetIndex(withRegistrations: false);
        server.AddNuGetPackage("Zoo.Dropped", "1.0.0", droppedNupkg);
        var keptCard = Card("test/kept", File("model.onnx", "npm:zoo-kept@1.0.0/model.onnx", kept));
        var droppedCard = Card("test/dropped", File("model.onnx", "nuget:Zoo.Dropped@1.0.0/tools/model.onnx", dropped));
        using var store = OpenStore(home, server);
        await store.PullAsync(keptCard);
        await store.PullAsync(droppedCard);
        var staleTemp = Path.Combine(home.Store, "tmp", "abandoned.partial");
        var freshTemp = Path.Combine(home.Store, "tmp", "in-progress.partial");
        await System.IO.File.WriteAllBytesAsync(staleTemp, Bytes(100, 56));
        await System.IO.File.WriteAllBytesAsync(freshTemp, Bytes(100, 57));
        System.IO.File.SetLastWriteTimeUtc(staleTemp, DateTime.UtcNow.AddDays(-3));

        GcReport report;
        // A partial download is in progress exactly while a pull holds its key's lock.
        using (StoreLock.TryAcquire(Path.Combine(home.Store, "locks", "in-progress.lock")))
        {
            report = store.CollectGarbage([keptCard]);
        }

        Assert.Equal(2, report.BlobsDeleted); // the dropped blob and its package archive
        Assert.Equal(dropped.Length + droppedNupkg.Length + 100, report.BytesFreed);
        Assert.Equal(1, report.TempFilesDeleted);
        Assert.False(System.IO.File.Exists(staleTemp));
        Assert.True(System.IO.File.Exists(freshTemp));
        Assert.True(store.IsCached(keptCard));
        Assert.False(store.IsCached(droppedCard));
        var blobs = StoredFiles(home, "blobs").Select(Path.GetFileName).ToList();
        Assert.Equal([keptCard.Files[0].Sha256], blobs);
        Assert.Single(StoredFiles(home, "packages"));

        var second = store.CollectGarbage([keptCard]);
        Assert.Equal(new GcReport(0, 100, 1), second); // the partial, abandoned once its lock is free
    }
}
