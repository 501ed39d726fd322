using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using ModelZoo.Catalog;
using ModelZoo.Store;

namespace ModelZoo.Tests.Store;

/// <summary>Builds real package archives (zip .nupkg, gzipped tar .tgz), cards and isolated stores for the store tests.</summary>
internal static class StoreFixtures
{
    /// <summary>Deterministic pseudo-random bytes (a stand-in for a model file).</summary>
    public static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static string Sha256Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static string Sha512Base64(byte[] data) => Convert.ToBase64String(SHA512.HashData(data));

    public static string Integrity(byte[] data) => "sha512-" + Sha512Base64(data);

    /// <summary>A zip with the given entries; a null payload marks a Unix symbolic link entry pointing at /etc/passwd.</summary>
    public static byte[] Zip(params (string Name, byte[]? Data)[] entries)
    {
        using var memory = new MemoryStream();
        using (var archive = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            archive.CreateEntry("[Content_Types].xml").Open().Dispose();
            foreach (var (name, data) in entries)
            {
                var entry = archive.CreateEntry(name, CompressionLevel.Fastest);
                if (data is null)
                {
                    entry.ExternalAttributes = unchecked((int)(0xA1FFu << 16)); // S_IFLNK | 0777
                    using var link = entry.Open();
                    link.Write("/etc/passwd"u8);
                    continue;
                }
                using var stream = entry.Open();
                stream.Write(data);
            }
        }
        return memory.ToArray();
    }

    /// <summary>A gzipped tar; entries with a link target become symbolic links.</summary>
    public static byte[] Tgz(params (string Name, byte[]? Data, string? LinkTarget)[] entries)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: false))
        {
            foreach (var (name, data, link) in entries)
            {
                if (link is not null)
                {
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = link });
                    continue;
                }
                var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data ?? []) };
                writer.WriteEntry(entry);
            }
        }
        return memory.ToArray();
    }

    public static ModelFile File(string name, string source, byte[] data, string role = "model") => new()
    {
        Name = name,
        Source = source,
        Sha256 = Sha256Hex(data),
        Size = data.Length,
        Role = role,
    };

    public static ModelCard Card(string handle, params ModelFile[] files) => new()
    {
        Handle = handle,
        Task = ModelTask.ImageClassification,
        Files = files,
        License = new LicenseInfo { Spdx = "MIT" },
    };

    /// <summary>A store over <paramref name="home"/> that ignores the user's own NuGet/npm config and retries quickly.</summary>
    public static ModelStore OpenStore(StoreSandbox home, FakeRegistryServer? server, bool offline = false) =>
        new(Settings(home, server, offline), handler: null, retryBaseDelay: TimeSpan.FromMilliseconds(20),
            new RegistryConfig(Settings(home, server, offline)));

    public static ZooSettings Settings(StoreSandbox home, FakeRegistryServer? server, bool offline = false) => new()
    {
        Home = home.Store,
        Offline = offline,
        NuGetSource = server?.NuGetIndex.AbsoluteUri,
        NpmRegistry = server?.NpmRegistry.AbsoluteUri,
    };

    /// <summary>Every file under the store's blobs, packages and tmp folders (what a failed pull must not leave behind).</summary>
    public static string[] StoredFiles(StoreSandbox home, string folder)
    {
        var path = Path.Combine(home.Store, folder);
        return Directory.Exists(path) ? Directory.GetFiles(path, "*", SearchOption.AllDirectories) : [];
    }
}
