using ModelZoo.Store;
using static ModelZoo.Tests.Store.StoreFixtures;

namespace ModelZoo.Tests.Store;

public sealed class NpmSourceTests
{
    [Fact]
    public async Task Pull_ScopedPackage_DownloadsTarballOnceForThreeFiles()
    {
        using var home = new StoreSandbox();
        using var server = new FakeRegistryServer();
        var graph = System.Text.Encoding.UTF8.GetBytes("""{"format":"graph-model","weightsManifest":[{"paths":["group1-shard1of1.bin"]}]}""");
        var shard = Bytes(150_000, 11);
        var labels = "cat\ndog\n"u8.ToArray();
        var tgz = Tgz(("package/package.json", "{}"u8.ToArray(), null),
            ("package/models/net.json", graph, null),
            ("package/models/net.bin", shard, null),
            ("package/labels.txt", labels, null));
        var tarballPath = server.AddNpmPackage("@zoo-test/models", "3.0.4", tgz, Integrity(tgz));
        var card = Card("test/npm-model",
            File("model.json", "npm:@zoo-test/models@3.0.4/models/net.json", graph),
            File("group1-shard1of1.bin", "npm:@zoo-test/models@3.0.4/models/net.bin", shard, role: "weights"),
            File("labels.txt", "npm:@zoo-test/models@3.0.4/labels.txt", labels, role: "labels"));

        using var store = OpenStore(home, server);
        var local = await store.PullAsync(card);

        Assert.Equal(graph, await System.IO.File.ReadAllBytesAsync(local.ModelPath));
        Assert.Equal(shard, await System.IO.File.ReadAllBytesAsync(local.PathOf("group1-shard1of1.bin")));
        Assert.Equal(labels, await System.IO.File.ReadAllBytesAsync(local.PathOf("labels.txt")));
        // TFJS finds its shards next to model.json by their declared names.
        Assert.True(System.IO.File.Exists(Path.Combine(Path.GetDirectoryName(local.ModelPath)!, "group1-shard1of1.bin")));
        Assert.Equal(1, server.CountRequests(tarballPath));
        Assert.Equal(1, server.CountRequests("npm/@zoo-test%2fmodels"));
    }

    [Fact]
    public async Task Pull_WhenTarballDiffersFromDistIntegrity_ThrowsAndKeepsNothing()
    {
        using var home = new StoreSandbox();
        using var server = new FakeRegistryServer();
        var data = Bytes(1_000, 12);
        var tgz = Tgz(("package/model.onnx", data, null));
        server.AddNpmPackage("zoo-plain", "1.0.0", tgz, Integrity(Bytes(1_000, 13)));
        using var store = OpenStore(home, server);

        var error = await Assert.ThrowsAsync<PackageIntegrityException>(() =>
            store.PullAsync(Card("test/npm-bad", File("model.onnx", "npm:zoo-plain@1.0.0/model.onnx", data))));

        Assert.Contains("sha512", error.Message, StringComparison.Ordinal);
        Assert.Empty(StoredFiles(home, "packages"));
        Assert.Empty(StoredFiles(home, "tmp"));
        Assert.Empty(StoredFiles(home, "blobs"));
    }

    [Fact]
    public async Task Pull_UnknownVersion_ThrowsDownloadExceptionNamingIt()
    {
        using var home = new StoreSandbox();
        using var server = new FakeRegistryServer();
        var tgz = Tgz(("package/model.onnx", Bytes(10, 14), null));
        server.AddNpmPackage("zoo-plain", "1.0.0", tgz, Integrity(tgz));
        using var store = OpenStore(home, server);

        var error = await Assert.ThrowsAsync<DownloadException>(() =>
            store.PullAsync(Card("test/npm-version", File("model.onnx", "npm:zoo-plain@9.9.9/model.onnx", Bytes(10, 14)))));

        Assert.Contains("9.9.9", error.Message, StringComparison.Ordinal);
    }
}
