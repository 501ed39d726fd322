using ModelZoo.Store;
using static ModelZoo.Tests.Store.StoreFixtures;

namespace ModelZoo.Tests.Store;

public sealed class ArchiveSafetyTests
{
    public static TheoryData<string, string> UnsafeTarEntries => new()
    {
        { "package/../../evil", "path traversal" },
        { "/etc/evil", "absolute path" },
        { "package/model.onnx", "link" },
    };

    [Theory]
    [MemberData(nameof(UnsafeTarEntries))]
    public async Task NpmTarball_WithUnsafeEntry_IsRejectedAndNothingIsWritten(string entryName, string reason)
    {
        using var home = new StoreSandbox();
        using var server = new FakeRegistryServer();
        var data = Bytes(500, 31);
        var tgz = reason == "link"
            ? Tgz(("package/model.onnx", null, "../../../../etc/passwd"))
            : Tgz((entryName, "owned"u8.ToArray(), null), ("package/model.onnx", data, null));
        server.AddNpmPackage("zoo-evil", "1.0.0", tgz, Integrity(tgz));
        using var store = OpenStore(home, server);

        var error = await Assert.ThrowsAsync<UnsafeArchiveException>(() =>
            store.PullAsync(Card("test/evil-tar", File("model.onnx", "npm:zoo-evil@1.0.0/model.onnx", data))));

        Assert.Equal("unsafe-archive", error.Code);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(entryName, error.EntryName);
        AssertNothingExtracted(home);
    }

    public static TheoryData<string, string> UnsafeZipEntries => new()
    {
        { "../evil.dll", "path traversal" },
        { "lib/../../evil.dll", "path traversal" },
        { "/abs/evil.dll", "absolute path" },
        { "C:/evil.dll", "absolute path" },
        { "tools/link.onnx", "symbolic link" },
    };

    [Theory]
    [MemberData(nameof(UnsafeZipEntries))]
    public async Task Nupkg_WithUnsafeEntry_IsRejectedAndNothingIsWritten(string entryName, string reason)
    {
        using var home = new StoreSandbox();
        using var server = new FakeRegistryServer();
        var data = Bytes(500, 32);
        var nupkg = reason == "symbolic link"
            ? Zip((entryName, null), ("tools/model.onnx", data))
            : Zip((entryName, "owned"u8.ToArray()), ("tools/model.onnx", data));
        server.AddNuGetIndex(withRegistrations: false);
        server.AddNuGetPackage("Zoo.Evil", "1.0.0", nupkg);
        using var store = OpenStore(home, server);

        var error = await Assert.ThrowsAsync<UnsafeArchiveException>(() =>
            store.PullAsync(Card("test/evil-zip", File("model.onnx", "nuget:Zoo.Evil@1.0.0/tools/model.onnx", data))));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(entryName, error.EntryName);
        AssertNothingExtracted(home);
    }

    [Fact]
    public async Task Entry_LargerThanTheCardDeclares_IsRejected()
    {
        using var home = new StoreSandbox();
        using var server = new FakeRegistryServer();
        var big = Bytes(10_000, 33);
        var tgz = Tgz(("package/model.onnx", big, null));
        server.AddNpmPackage("zoo-big", "1.0.0", tgz, Integrity(tgz));
        using var store = OpenStore(home, server);
        var declared = File("model.onnx", "npm:zoo-big@1.0.0/model.onnx", big) with { Size = 1_000 };

        var error = await Assert.ThrowsAsync<UnsafeArchiveException>(() => store.PullAsync(Card("test/big", declared)));

        Assert.Contains("1000", error.Message, StringComparison.Ordinal);
        AssertNothingExtracted(home);
    }

    [Fact]
    public async Task DamagedNupkg_FailsTheChecksumAndIsDroppedFromThePackageCache()
    {
        using var home = new StoreSandbox();
        using var server = new FakeRegistryServer();
        var data = Bytes(20_000, 34);
        var nupkg = Zip(("tools/model.onnx", data));
        // Flip a byte inside the compressed data of the entry (after its 30-byte local header and name).
        var offset = FindLocalHeader(nupkg, "tools/model.onnx") + 30 + "tools/model.onnx".Length + 100;
        nupkg[offset] ^= 0xFF;
        server.AddNuGetIndex(withRegistrations: false);
        server.AddNuGetPackage("Zoo.Damaged", "1.0.0", nupkg);
        using var store = OpenStore(home, server);

        var error = await Assert.ThrowsAsync<ChecksumMismatchException>(() =>
            store.PullAsync(Card("test/damaged", File("model.onnx", "nuget:Zoo.Damaged@1.0.0/tools/model.onnx", data))));

        Assert.Equal(Sha256Hex(data), error.ExpectedSha256);
        Assert.Empty(StoredFiles(home, "packages"));
        AssertNothingExtracted(home);
    }

    private static int FindLocalHeader(byte[] zip, string name)
    {
        var nameBytes = System.Text.Encoding.ASCII.GetBytes(name);
        for (var i = 0; i + 30 + nameBytes.Length < zip.Length; i++)
        {
            if (zip[i] == 0x50 && zip[i + 1] == 0x4B && zip[i + 2] == 3 && zip[i + 3] == 4
                && zip.AsSpan(i + 30, nameBytes.Length).SequenceEqual(nameBytes))
            {
                return i;
            }
        }
        throw new InvalidOperationException($"No local header for {name}.");
    }

    private static void AssertNothingExtracted(StoreSandbox home)
    {
        Assert.Empty(StoredFiles(home, "blobs"));
        Assert.Empty(StoredFiles(home, "models"));
        Assert.Empty(StoredFiles(home, "tmp"));
        Assert.Empty(Directory.GetFiles(home.Root, "evil*", SearchOption.AllDirectories));
        Assert.False(System.IO.File.Exists(Path.Combine(Path.GetTempPath(), "evil")));
    }
}
