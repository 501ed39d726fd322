using System.Net;
using ModelZoo.Store;
using static ModelZoo.Tests.Store.StoreFixtures;

namespace ModelZoo.Tests.Store;

public sealed class DownloadTests
{
    [Fact]
    public async Task Pull_ResumesWithRangeAfterServerDropsConnection()
    {
        using var home = new StoreSandbox();
        using var server = new FakeRegistryServer();
        var data = Bytes(300_000, 21);
        server.AddFile("files/model.onnx", data, dropAfterBytesOnFirstRequest: 100_000);
        var card = Card("test/resume", File("model.onnx", $"{server.BaseUrl}files/model.onnx", data));

        using var store = OpenStore(home, server);
        var local = await store.PullAsync(card);

        Assert.Equal(data, await System.IO.File.ReadAllBytesAsync(local.ModelPath));
        var requests = server.Requests.Where(r => r.Path == "files/model.onnx").ToList();
        Assert.Equal(2, requests.Count);
        Assert.Null(requests[0].Range);
        Assert.Equal("bytes=100000-", requests[1].Range);
        Assert.Empty(StoredFiles(home, "tmp"));
    }

    [Fact]
    public async Task Pull_ResumesPartialFileLeftByAnEarlierRun()
    {
        using var home = new StoreSandbox();
        using var server = new FakeRegistryServer();
        var data = Bytes(64_000, 29);
        server.AddFile("files/model.onnx", data);
        var card = Card("test/resume-later", File("model.onnx", $"{server.BaseUrl}files/model.onnx", data));
        // What an interrupted earlier process leaves behind: the first 40,000 bytes under the key of the file's hash.
        Directory.CreateDirectory(Path.Combine(home.Store, "tmp"));
        await System.IO.File.WriteAllBytesAsync(Path.Combine(home.Store, "tmp", $"sha256-{card.Files[0].Sha256}.partial"), data[..40_000]);
        using var store = OpenStore(home, server);

        var local = await store.PullAsync(card);

        Assert.Equal(data, await System.IO.File.ReadAllBytesAsync(local.ModelPath));
        Assert.Equal("bytes=40000-", Assert.Single(server.Requests).Range);
    }

    [Fact]
    public async Task Pull_RetriesServerErrors()
    {
        using var home = new StoreSandbox();
        using var server = new FakeRegistryServer();
        var data = Bytes(5_000, 22);
        server.AddFile("files/flaky.onnx", data, failuresBeforeSuccess: 2);
        using var store = OpenStore(home, server);

        var local = await store.PullAsync(Card("test/flaky", File("model.onnx", $"{server.BaseUrl}files/flaky.onnx", data)));

        Assert.Equal(data, await System.IO.File.ReadAllBytesAsync(local.ModelPath));
        Assert.Equal(3, server.CountRequests("files/flaky.onnx"));
    }

    [Fact]
    public async Task Pull_CorruptBytes_ThrowsChecksumMismatchAndCachesNothing()
    {
        using var home = new StoreSandbox();
        using var server = new FakeRegistryServer();
        var data = Bytes(50_000, 23);
        var corrupt = (byte[])data.Clone();
        corrupt[12_345] ^= 0x40;
        server.AddFile("files/model.onnx", corrupt);
        var card = Card("test/corrupt", File("model.onnx", $"{server.BaseUrl}files/model.onnx", data));

        using var store = OpenStore(home, server);
        var error = await Assert.ThrowsAsync<ChecksumMismatchException>(() => store.PullAsync(card));

        Assert.Equal("model.onnx", error.FileName);
        Assert.Equal(Sha256Hex(data), error.ExpectedSha256);
        Assert.Equal(Sha256Hex(corrupt), error.ActualSha256);
        Assert.Contains(Sha256Hex(data), error.Message, StringComparison.Ordinal);
        Assert.Contains(Sha256Hex(corrupt), error.Message, StringComparison.Ordinal);
        Assert.Empty(StoredFiles(home, "blobs"));
        Assert.Empty(StoredFiles(home, "tmp"));
        Assert.Empty(StoredFiles(home, "models"));
        Assert.False(store.IsCached(card));
    }

    [Fact]
    public async Task Pull_NotFound_ThrowsDownloadExceptionWithoutRetrying()
    {
        using var home = new StoreSandbox();
        using var server = new FakeRegistryServer();
        var card = Card("test/missing", File("model.onnx", $"{server.BaseUrl}files/nothing.onnx", Bytes(10, 24)));
        using var store = OpenStore(home, server);

        var error = await Assert.ThrowsAsync<DownloadException>(() => store.PullAsync(card));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("download-failed", error.Code);
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        Assert.Contains("files/nothing.onnx", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.CountRequests("files/nothing.onnx"));
    }

    [Fact]
    public async Task Pull_Offline_ThrowsNamingTheVariableAndSendsNoRequest()
    {
        using var home = new StoreSandbox();
        using var server = new FakeRegistryServer();
        var data = Bytes(1_000, 25);
        server.AddFile("files/model.onnx", data);
        server.AddNuGetIndex(withRegistrations: false);
        server.AddNuGetPackage("Zoo.Offline", "1.0.0", Zip(("m.onnx", data)));
        using var store = OpenStore(home, server, offline: true);

        var http = await Assert.ThrowsAsync<OfflineException>(() =>
            store.PullAsync(Card("test/offline-http", File("model.onnx", $"{server.BaseUrl}files/model.onnx", data))));
        var nuget = await Assert.ThrowsAsync<OfflineException>(() =>
            store.OpenAsync(Card("test/offline-nuget", File("model.onnx", "nuget:Zoo.Offline@1.0.0/m.onnx", data))));

        Assert.Contains("ZOO_OFFLINE", http.Message, StringComparison.Ordinal);
        Assert.Contains("unset", nuget.Message, StringComparison.Ordinal);
        Assert.Equal("offline", nuget.Code);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Pull_ConcurrentStoresOverOneHome_DownloadEachFileOnce()
    {
        using var home = new StoreSandbox();
        using var server = new FakeRegistryServer();
        var model = Bytes(400_000, 26);
        var extra = Bytes(120_000, 27);
        server.AddNuGetIndex(withRegistrations: false);
        var packagePath = server.AddNuGetPackage("Zoo.Shared", "1.0.0", Zip(("tools/model.onnx", model)));
        server.AddFile("files/extra.bin", extra);
        var card = Card("test/concurrent",
            File("model.onnx", "nuget:Zoo.Shared@1.0.0/tools/model.onnx", model),
            File("extra.bin", $"{server.BaseUrl}files/extra.bin", extra, role: "weights"));

        var stores = Enumerable.Range(0, 4).Select(_ => OpenStore(home, server)).ToList();
        try
        {
            var results = await Task.WhenAll(stores.Select(store => Task.Run(() => store.PullAsync(card))));

            foreach (var local in results)
            {
                Assert.Equal(model, await System.IO.File.ReadAllBytesAsync(local.ModelPath));
                Assert.Equal(extra, await System.IO.File.ReadAllBytesAsync(local.PathOf("extra.bin")));
            }
            Assert.Equal(1, server.CountRequests(packagePath));
            Assert.Equal(1, server.CountRequests("files/extra.bin"));
        }
        finally
        {
            stores.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Pull_LocalFile_CopiesAndVerifies()
    {
        using var home = new StoreSandbox();
        var data = Bytes(2_000, 28);
        var source = Path.Combine(home.Root, "local.onnx");
        await System.IO.File.WriteAllBytesAsync(source, data);
        using var store = OpenStore(home, server: null, offline: true);

        var local = await store.PullAsync(Card("test/local", File("model.onnx", "file:" + source, data)));

        Assert.Equal(data, await System.IO.File.ReadAllBytesAsync(local.ModelPath));
        Assert.NotEqual(source, local.ModelPath);
    }
}
