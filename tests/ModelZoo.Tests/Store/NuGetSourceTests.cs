using ModelZoo.Store;
using static ModelZoo.Tests.Store.StoreFixtures;

namespace ModelZoo.Tests.Store;

public sealed class NuGetSourceTests
{
    [Fact]
    public async Task Pull_FromFlatContainer_DownloadsPackageOnceAndExtractsEveryFile()
    {
        using var home = new StoreSandbox();
        using var server = new FakeRegistryServer();
        var model = Bytes(200_000, 1);
        var preprocess = Bytes(5_000, 2);
        var nupkg = Zip(("tools/Models/net.onnx", model), ("tools/Models/prep.onnx", preprocess), ("lib/readme.txt", "hi"u8.ToArray()));
        server.AddNuGetIndex(withRegistrations: true);
        var packagePath = server.AddNuGetPackage("Zoo.Test.Models", "1.2.3", nupkg, Sha512Base64(nupkg));
        var card = Card("test/nuget-model",
            File("model.onnx", "nuget:Zoo.Test.Models@1.2.3/tools/Models/net.onnx", model),
            File("prep.onnx", "nuget:Zoo.Test.Models@1.2.3/tools/Models/prep.onnx", preprocess, role: "preprocess"));

        using var store = OpenStore(home, server);
        var local = await store.PullAsync(card);

        Assert.Equal(model, await System.IO.File.ReadAllBytesAsync(local.ModelPath));
        Assert.Equal(preprocess, await System.IO.File.ReadAllBytesAsync(local.PathOf("prep.onnx")));
        Assert.Equal("model.onnx", Path.GetFileName(local.ModelPath));
        Assert.Equal(Path.GetDirectoryName(local.ModelPath), Path.GetDirectoryName(local.PathOf("prep.onnx")));
        Assert.Equal(1, server.CountRequests(packagePath));
        Assert.Equal(1, server.CountRequests("v3/index.json"));
        Assert.Equal(1, server.CountRequests("catalog/zoo.test.models.1.2.3.json"));
        Assert.True(System.IO.File.Exists(Path.Combine(home.Store, "CACHEDIR.TAG")));

        // A second store over the same home finds everything without the network.
        var before = server.Requests.Count;
        using var again = OpenStore(home, server);
        Assert.NotNull(again.TryOpen(card));
        var progress = new List<PullProgress>();
        await again.PullAsync(card, new SynchronousProgress(progress));
        Assert.Equal(before, server.Requests.Count);
        Assert.All(progress, p => Assert.True(p.Cached));
    }

    [Fact]
    public async Task Pull_WhenPublishedSha512Differs_ThrowsPackageIntegrityAndKeepsNothing()
    {
        using var home = new StoreSandbox();
        using var server = new FakeRegistryServer();
        var model = Bytes(10_000, 3);
        var nupkg = Zip(("content/model.onnx", model));
        server.AddNuGetIndex(withRegistrations: true);
        server.AddNuGetPackage("Zoo.Tampered", "1.0.0", nupkg, Sha512Base64(Bytes(10, 4)));
        var card = Card("test/tampered", File("model.onnx", "nuget:Zoo.Tampered@1.0.0/content/model.onnx", model));

        using var store = OpenStore(home, server);
        var error = await Assert.ThrowsAsync<PackageIntegrityException>(() => store.PullAsync(card));

        Assert.Equal("package-integrity", error.Code);
        Assert.Contains("Zoo.Tampered@1.0.0", error.Message, StringComparison.Ordinal);
        Assert.Empty(StoredFiles(home, "packages"));
        Assert.Empty(StoredFiles(home, "blobs"));
        Assert.False(store.IsCached(card));
    }

    [Fact]
    public async Task Pull_FromFlatContainerBaseWithoutIndex_UsesItDirectly()
    {
        using var home = new StoreSandbox();
        using var server = new FakeRegistryServer();
        var model = Bytes(3_000, 5);
        server.AddNuGetPackage("Zoo.Flat", "2.0.0", Zip(("data/model.onnx", model)));
        var settings = Settings(home, server) with { NuGetSource = new Uri(server.BaseUrl, "flat/").AbsoluteUri };
        using var store = new ModelStore(settings, null, TimeSpan.FromMilliseconds(20), new RegistryConfig(settings));

        var local = await store.PullAsync(Card("test/flat", File("model.onnx", "nuget:Zoo.Flat@2.0/data/model.onnx", model)));

        Assert.Equal(model, await System.IO.File.ReadAllBytesAsync(local.ModelPath));
        Assert.DoesNotContain(server.Requests, r => r.Path.EndsWith("index.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pull_PathMissingFromPackage_NamesThePath()
    {
        using var home = new StoreSandbox();
        using var server = new FakeRegistryServer();
        server.AddNuGetIndex(withRegistrations: false);
        server.AddNuGetPackage("Zoo.Other", "1.0.0", Zip(("tools/real.onnx", Bytes(100, 6))));
        using var store = OpenStore(home, server);

        var error = await Assert.ThrowsAsync<ZooException>(() =>
            store.PullAsync(Card("test/missing", File("model.onnx", "nuget:Zoo.Other@1.0.0/tools/wrong.onnx", Bytes(100, 6)))));

        Assert.Equal("not-in-package", error.Code);
        Assert.Contains("tools/wrong.onnx", error.Message, StringComparison.Ordinal);
        Assert.Empty(StoredFiles(home, "tmp"));
    }

    [Fact]
    public async Task Pull_ManifestResourceInsideAssembly_ReadsItWithoutLoadingTheAssembly()
    {
        using var home = new StoreSandbox();
        using var server = new FakeRegistryServer();
        var assemblyBytes = await System.IO.File.ReadAllBytesAsync(typeof(NuGetSourceTests).Assembly.Location);
        var expected = EmbeddedSample.Bytes();
        server.AddNuGetIndex(withRegistrations: false);
        server.AddNuGetPackage("Zoo.Embedded", "1.0.0", Zip(("lib/netstandard2.1/Zoo.Embedded.dll", assemblyBytes)));
        var card = Card("test/embedded",
            File("sample.bin", $"nuget:Zoo.Embedded@1.0.0/lib/netstandard2.1/Zoo.Embedded.dll!{EmbeddedSample.ResourceName}", expected));

        using var store = OpenStore(home, server);
        var local = await store.PullAsync(card);

        Assert.Equal(expected, await System.IO.File.ReadAllBytesAsync(local.ModelPath));
        Assert.Empty(StoredFiles(home, "tmp"));
    }

    [Theory]
    [InlineData("1.0", "1.0.0")]
    [InlineData("1.02.3.0", "1.2.3")]
    [InlineData("1.2.3.4", "1.2.3.4")]
    [InlineData("2.0.0-Beta.1+build.5", "2.0.0-Beta.1")]
    public void NormalizeVersion_FollowsNuGetRules(string version, string expected) =>
        Assert.Equal(expected, NuGetFeed.NormalizeVersion(version));
}
