using System.Security.Cryptography;
using ModelZoo.Catalog;
using ModelZoo.Store;
using ModelZoo.Tasks;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Cli.Tests.Commands;

/// <summary>
/// Through the CLI: a file damaged in the store after it was pulled is never used: opening the model hashes it (once per process
/// while it is unchanged), and a mismatch is refused offline or fetched again where the store can. One case per
/// kind of blob: a NuGet-extracted ONNX file (ResNet-18), a TFJS weight shard from an npm package (NanoDet), and a
/// plain downloaded ONNX file (MobileNet v2 int8).
/// </summary>
public sealed class VerifyOnLoadCommandTests
{
    private const string ResNet = "imagenet/resnet18/feature_vector";
    private const string NanoDet = "coco/nanodet/detection";

    private static string Dog => Path.Combine(TestAssets.RepoRoot, "samples", "dog.jpg");

    [Theory]
    [InlineData(ResNet, "ResNet18.onnx", "embed")]
    [InlineData(NanoDet, "nanodet.bin", "detect")]
    public void A_damaged_file_is_refused_offline_by_the_cli_and_removed(string handle, string fileName, string command)
    {
        using var home = new TempHome();
        var card = BlobDamage.CopyFromShared(home.Path, handle, withPackage: false);
        var path = BlobDamage.ModelFile(home.Path, card, fileName);
        BlobDamage.FlipMiddle(path);

        var result = CliRunner.Run(home.Settings(offline: true), command, handle, Dog);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"File '{fileName}' of model '{handle}'", result.AllText);
        Assert.Contains("is corrupt", result.AllText);
        Assert.Contains($"run `zoo pull {handle}` to fetch it again", result.AllText);
        Assert.DoesNotContain("   at ", result.Console + result.Status);
        Assert.False(File.Exists(path), "the damaged copy must not stay in the store");
    }

    [Theory]
    [InlineData(ResNet, "ResNet18.onnx", "embed")]
    [InlineData(NanoDet, "nanodet.bin", "detect")]
    public void A_damaged_file_is_extracted_again_from_the_cached_package_and_gives_the_right_answer(string handle, string fileName, string command)
    {
        var reference = CliRunner.Run(SharedStore.Settings with { Offline = true }, command, handle, Dog);
        Assert.True(reference.ExitCode == 0, reference.AllText);
        using var home = new TempHome();
        var card = BlobDamage.CopyFromShared(home.Path, handle, withPackage: true);
        var path = BlobDamage.ModelFile(home.Path, card, fileName);
        BlobDamage.FlipMiddle(path);

        var result = CliRunner.Run(home.Settings(offline: true), command, handle, Dog);

        Assert.True(result.ExitCode == 0, result.AllText);
        Assert.Equal(reference.Output, result.Output);
        Assert.Equal(card.Files.Single(f => f.Name == fileName).Sha256, Sha256(path));
    }

    [Fact]
    public async Task A_damaged_downloaded_onnx_file_is_downloaded_again_online_and_refused_offline()
    {
        using var home = new TempHome();
        await MobileNetStore.PullAsync(home.Settings());
        var card = ModelCatalog.LoadBuiltin().Get(MobileNetStore.Handle);
        var path = BlobDamage.ModelFile(home.Path, card, card.Files[0].Name);
        var reference = CliRunner.Run(home.Settings(offline: true), "classify", card.Handle, Dog);
        Assert.True(reference.ExitCode == 0, reference.AllText);

        BlobDamage.FlipMiddle(path);
        var folder = Path.GetDirectoryName(TestAssets.SharedTestData("imagenet/mobilenetv2-12-int8.onnx"))!;
        using (var server = new LocalFileServer(folder))
        using (var store = new ModelStore(home.Settings(), server.RedirectingHandler()))
        using (var classifier = await ImageClassifier.OpenAsync(card, store))
        {
            Assert.Equal(1, server.Requests);
        }
        Assert.Equal(card.Files[0].Sha256, Sha256(path));
        Assert.Equal(reference.Output, CliRunner.Run(home.Settings(offline: true), "classify", card.Handle, Dog).Output);

        BlobDamage.FlipMiddle(path);
        var refused = CliRunner.Run(home.Settings(offline: true), "classify", card.Handle, Dog);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("is corrupt", refused.AllText);
        Assert.Contains($"zoo pull {card.Handle}", refused.AllText);
        Assert.False(File.Exists(path));
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
