using System.Security.Cryptography;
using ModelZoo.Catalog;
using ModelZoo.Store;
using ModelZoo.Tasks;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Tests.Store;

/// <summary>
/// A file damaged in the store after it was pulled is never used: opening the model hashes it (once per process
/// while it is unchanged), and a mismatch is refused offline or fetched again where the store can. One case per
/// kind of blob: a NuGet-extracted ONNX file (ResNet-18), a TFJS weight shard from an npm package (NanoDet), and a
/// plain downloaded ONNX file (MobileNet v2 int8).
/// </summary>
public sealed class VerifyOnLoadTests
{
    private const string ResNet = "imagenet/resnet18/feature_vector";

    [Fact]
    public async Task The_library_refuses_a_damaged_NuGet_extracted_file_offline()
    {
        using var home = new TempHome();
        var card = BlobDamage.CopyFromShared(home.Path, ResNet, withPackage: false);
        BlobDamage.FlipMiddle(BlobDamage.ModelFile(home.Path, card, "ResNet18.onnx"));
        using var store = new ModelStore(home.Settings(offline: true));

        Assert.True(store.IsCached(card)); // it does not hash: the length is right
        var error = await Assert.ThrowsAsync<BlobCorruptException>(() => FeatureExtractor.OpenAsync(card, store));

        Assert.Equal("blob-corrupt", error.Code);
        Assert.Equal("ResNet18.onnx", error.FileName);
        Assert.False(store.IsCached(card));
    }

    [Fact]
    public async Task An_unchanged_verified_file_is_not_hashed_again_but_any_write_makes_it_checked()
    {
        using var home = new TempHome();
        var source = Path.Combine(home.Path, "source.bin");
        var bytes = RandomNumberGenerator.GetBytes(200_000);
        await File.WriteAllBytesAsync(source, bytes);
        var card = new ModelCard
        {
            Handle = "test/stamp",
            Task = ModelTask.ImageClassification,
            License = new LicenseInfo { Spdx = "MIT" },
            Files = [new ModelFile { Name = "model.onnx", Source = "file:" + source, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), Size = bytes.Length }],
        };
        using var store = new ModelStore(home.Settings(offline: true));
        var path = (await store.PullAsync(card)).Files["model.onnx"];
        Assert.NotNull(store.TryOpen(card));

        // Same length, same last-write time: the stamp stands for the hash, so this damage goes unseen (by design) ...
        var written = File.GetLastWriteTimeUtc(path);
        BlobDamage.FlipMiddle(path, 16);
        File.SetLastWriteTimeUtc(path, written);
        Assert.NotNull(store.TryOpen(card));

        // ... and a write that moves the time is hashed on the next open.
        File.SetLastWriteTimeUtc(path, written.AddSeconds(2));
        Assert.Throws<BlobCorruptException>(() => store.TryOpen(card));

        // The file: source is still there, so opening fetches it again, even offline.
        var reopened = await store.OpenAsync(card);
        Assert.Equal(card.Files[0].Sha256, Sha256(reopened.Files["model.onnx"]));
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
