using ModelZoo.Store;
using static ModelZoo.Tests.Store.StoreFixtures;

namespace ModelZoo.Tests.Store;

/// <summary>Pulls a real model file from the NuGet feed this machine's NuGet configuration names (ZOO_NUGET_SOURCE
/// when set), resolved as the CLI resolves it.</summary>
public sealed class RealNuGetSourceTests
{
    [Fact]
    public async Task Pull_ResNetPreprocessFromConfiguredNuGetFeed_MatchesPublishedHash()
    {
        using var home = new StoreSandbox();
        var settings = ZooSettings.FromEnvironment() with { Home = home.Store, Offline = false };
        var card = Card("test/resnet18-preprocess", new global::ModelZoo.Catalog.ModelFile
        {
            Name = "ResNetPreprocess.onnx",
            Source = "nuget:Microsoft.ML.DnnImageFeaturizer.ResNet18@0.23.1/tools/DnnImageModels/ResNetPrepOnnx/ResNetPreprocess.onnx",
            Sha256 = "84bf8def78d0befaa3f6e73745d57d7016c6a192ead76f79686bd438c1047004",
            Size = 602584,
            Role = "preprocess",
        });
        using var store = new ModelStore(settings);

        var local = await store.PullAsync(card);

        Assert.Equal(602584, new FileInfo(local.ModelPath).Length);
        var verification = Assert.Single(await store.VerifyAsync(card));
        Assert.True(verification.Ok, verification.Problem);
    }
}
