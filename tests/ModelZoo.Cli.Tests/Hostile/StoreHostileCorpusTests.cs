using System.Diagnostics;
using System.Security.Cryptography;
using ModelZoo.Catalog;
using ModelZoo.Store;
using ModelZoo.Tests.Infrastructure;
using ModelZoo.Tests.Store;
using static ModelZoo.Cli.Tests.Hostile.StoreCorpusRunner;

namespace ModelZoo.Cli.Tests.Hostile;

/// <summary>
/// Hostile states of the model store, generated at test time in a private ZOO_HOME and run through the CLI under a
/// time limit: damaged and truncated blobs, a read-only store, a disk too small for a package, a disk that fills up
/// during a download, and temp files left by killed pulls. Every case ends in a clean error (or a clean recovery) and
/// leaves nothing half-written that a later command would trust.
/// </summary>
public sealed class StoreHostileCorpusTests : IDisposable
{
    private const string ResNet = "imagenet/resnet18/feature_vector";
    private readonly TempHome _home = new();
    private readonly List<string> _mounts = [];

    [Theory]
    [InlineData(ResNet, "ResNet18.onnx", "embed")]
    [InlineData("coco/nanodet/detection", "nanodet.bin", "detect")]
    public void A_damaged_blob_is_refused_offline(string handle, string fileName, string command)
    {
        var card = BlobDamage.CopyFromShared(_home.Path, handle, withPackage: false);
        var path = BlobDamage.ModelFile(_home.Path, card, fileName);
        BlobDamage.FlipMiddle(path);

        var result = Run(_home.Settings(offline: true), command, handle, Dog);

        AssertCleanError(result, $"File '{fileName}' of model '{handle}'", "is corrupt", $"run `zoo pull {handle}`");
        Assert.False(File.Exists(path));
        // The next run says what is missing, not that it is corrupt again.
        AssertCleanError(Run(_home.Settings(offline: true), command, handle, Dog), fileName, "ZOO_OFFLINE");
    }

    [Fact]
    public void A_truncated_blob_is_never_opened()
    {
        var card = BlobDamage.CopyFromShared(_home.Path, ResNet, withPackage: false);
        var path = BlobDamage.ModelFile(_home.Path, card, "ResNet18.onnx");
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(stream.Length / 2);
        }

        AssertCleanError(Run(_home.Settings(offline: true), "embed", ResNet, Dog), "ResNet18.onnx", "ZOO_OFFLINE");
    }

    [Fact]
    public void A_read_only_store_fails_at_once_instead_of_waiting_for_a_lock()
    {
        var home = ReadOnlyFolder();
        var settings = _home.Settings() with { Home = home };
        var watch = Stopwatch.StartNew();

        var result = Run(settings, "pull", ResNet);

        AssertCleanError(result, $"ZOO_HOME {home} is not writable", "set ZOO_HOME to a writable folder");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}: it waited instead of failing");
    }

    [Fact]
    public void A_package_larger_than_the_free_space_is_refused_before_download_naming_its_size()
    {
        using var server = new FakeRegistryServer();
        var small = StoreFixtures.Bytes(20_000, 71);
        var padding = StoreFixtures.Bytes(6 << 20, 72); // incompressible, so the tarball is about 6 MB
        var tgz = StoreFixtures.Tgz(("package/model.onnx", small, null), ("package/other.bin", padding, null));
        var tarball = server.AddNpmPackage("zoo-big", "1.0.0", tgz, StoreFixtures.Integrity(tgz));
        var settings = _home.Settings() with { NpmRegistry = server.NpmRegistry.AbsoluteUri };
        Register(settings, "test/big-package", "model.onnx", "npm:zoo-big@1.0.0/model.onnx", small);
        // The volume has room for the 20 kB file (and the safety margin) but not for the 6 MB package it comes in.
        DiskSpace.FreeBytesOverride.Value = _ => (16L << 20) + (1L << 20);

        var result = Run(settings, "pull", "test/big-package");

        AssertCleanError(result, "no space left on the device holding ZOO_HOME (need 23 MB)", "set ZOO_HOME to a folder on a larger disk");
        Assert.Equal(1, server.CountRequests(tarball)); // asked once, refused on its announced length, not retried
        AssertNothingLeft();
    }

    [Fact]
    public void A_disk_that_fills_up_during_a_download_is_final_and_leaves_no_partial_file()
    {
        using var server = new FakeRegistryServer();
        var bytes = StoreFixtures.Bytes(300_000, 73);
        server.AddFile("files/model.onnx", bytes);
        var settings = _home.Settings();
        var card = Register(settings, "test/fills-disk", "model.onnx", new Uri(server.BaseUrl, "files/model.onnx").AbsoluteUri, bytes);
        // The kernel's always-full device stands in for a full volume: every write to it fails with ENOSPC.
        var partial = Path.Combine(_home.Path, "tmp", $"sha256-{card.Files[0].Sha256}.partial");
        Directory.CreateDirectory(Path.GetDirectoryName(partial)!);
        File.CreateSymbolicLink(partial, "/dev/full");

        var result = Run(settings, "pull", "test/fills-disk");

        AssertCleanError(result, "no space left on the device holding ZOO_HOME (need", "free some space");
        Assert.DoesNotContain("check your network", result.AllText);
        Assert.Equal(1, server.CountRequests("files/model.onnx"));
        Assert.False(File.Exists(partial) || new FileInfo(partial).LinkTarget is not null, "the partial download must be removed");
    }

    [Fact]
    public void A_local_source_too_large_for_the_disk_is_refused_and_leaves_no_temp_copy()
    {
        var source = Path.Combine(_home.Path, "big.onnx");
        var bytes = StoreFixtures.Bytes(3 << 20, 74);
        File.WriteAllBytes(source, bytes);
        var settings = _home.Settings();
        Register(settings, "test/local-big", "model.onnx", "file:" + source, bytes);
        DiskSpace.FreeBytesOverride.Value = _ => 17L << 20;

        AssertCleanError(Run(settings, "pull", "test/local-big"), "no space left on the device holding ZOO_HOME (need 19 MB)");
        AssertNothingLeft();
    }

    [Fact]
    public void A_local_source_with_the_wrong_bytes_leaves_no_temp_copy()
    {
        var source = Path.Combine(_home.Path, "wrong.onnx");
        File.WriteAllBytes(source, StoreFixtures.Bytes(50_000, 75));
        var settings = _home.Settings();
        Register(settings, "test/local-wrong", "model.onnx", "file:" + source, StoreFixtures.Bytes(50_000, 76));

        AssertCleanError(Run(settings, "pull", "test/local-wrong"), "has SHA-256", "the model card expects");
        AssertNothingLeft();
    }

    [Fact]
    public void Temp_files_of_killed_pulls_are_removed_by_gc_and_by_the_next_pull_of_their_blob()
    {
        var bytes = StoreFixtures.Bytes(100_000, 77);
        var source = Path.Combine(_home.Path, "model.onnx");
        File.WriteAllBytes(source, bytes);
        var settings = _home.Settings();
        var card = Register(settings, "test/killed", "model.onnx", "file:" + source, bytes);
        var sha = card.Files[0].Sha256;
        var tmp = Directory.CreateDirectory(Path.Combine(_home.Path, "tmp")).FullName;
        // What `kill -9` leaves: an extraction temp of this blob, and partial downloads of another blob and of a package.
        var extraction = Path.Combine(tmp, $"{sha}.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(extraction, StoreFixtures.Bytes(1 << 20, 78));
        var partial = Path.Combine(tmp, $"sha256-{new string('a', 64)}.partial");
        File.WriteAllBytes(partial, StoreFixtures.Bytes(1 << 20, 79));
        var package = Path.Combine(tmp, "pkg-nuget_2fsome.package_2f1.0.0.nupkg.partial");
        File.WriteAllBytes(package, StoreFixtures.Bytes(1 << 20, 80));

        var pulled = Run(settings, "pull", card.Handle);
        Assert.True(pulled.ExitCode == 0, pulled.AllText);
        Assert.False(File.Exists(extraction), "the next pull of the blob removes its abandoned extraction temp");

        var gc = Run(settings, "gc");
        Assert.True(gc.ExitCode == 0, gc.AllText);
        Assert.Contains("2 temporary file(s)", gc.AllText);
        Assert.Empty(Directory.GetFiles(tmp));
        Assert.True(Run(settings with { Offline = true }, "verify", card.Handle).ExitCode == 0);
    }

    public void Dispose()
    {
        DiskSpace.FreeBytesOverride.Value = null;
        foreach (var mount in _mounts)
        {
            using var process = Process.Start("umount", [mount]);
            process.WaitForExit();
        }
        _home.Dispose();
    }

    /// <summary>A folder the process cannot write: a read-only tmpfs when running as root (root ignores permissions), a
    /// folder without write permission otherwise.</summary>
    private string ReadOnlyFolder()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_home.Path, "read-only")).FullName;
        if (Environment.IsPrivilegedProcess)
        {
            using var process = Process.Start(new ProcessStartInfo("mount", ["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", folder]) { RedirectStandardError = true })!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"running as root, the test mounts a read-only tmpfs, which failed: {error}");
            _mounts.Add(folder);
        }
        else if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }
        else
        {
            Assert.Fail("this case makes a read-only folder with Unix permissions or a tmpfs mount");
        }
        return folder;
    }

    /// <summary>Registers a user card with one file (the built-in ResNet card's other fields, so it validates; without
    /// the preprocessing graph, which would be a second file).</summary>
    private static ModelCard Register(ZooSettings settings, string handle, string name, string source, byte[] bytes)
    {
        var builtin = ModelCatalog.LoadBuiltin().Get(ResNet);
        var card = builtin with
        {
            Handle = handle,
            Input = builtin.Input! with { PreprocessGraph = null },
            Files = [new ModelFile { Name = name, Role = "model", Source = source, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), Size = bytes.Length }],
        };
        ModelCatalog.Load(settings).Register(card, settings);
        return card;
    }

    /// <summary>No blob, no package, no temp file stayed behind.</summary>
    private void AssertNothingLeft()
    {
        foreach (var folder in new[] { "blobs", "packages", "tmp" })
        {
            var path = Path.Combine(_home.Path, folder);
            Assert.Empty(Directory.Exists(path) ? Directory.GetFiles(path, "*", SearchOption.AllDirectories) : []);
        }
    }
}
