using ModelZoo.Catalog;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Cli.Tests;

/// <summary>`zoo` on a machine whose npm was never configured: no .npmrc, no registry variable.</summary>
public sealed class DefaultSetupTests
{
    [Fact]
    public void Pull_of_an_npm_card_with_an_empty_home_and_no_registry_variable_asks_npm_for_its_default()
    {
        using var profile = new TempHome();
        using var store = new TempHome();
        var env = ZooProcess.WithoutRegistryVariables();
        env["HOME"] = profile.Path;
        env["USERPROFILE"] = profile.Path;
        env[ZooSettings.HomeVariable] = store.Path;

        var result = ZooProcess.Run(profile.Path, env, TimeSpan.FromMinutes(8), "pull", "coco/nanodet/detection");

        Assert.True(result.ExitCode == 0, result.All);
        var card = ModelCatalog.LoadBuiltin().Get("coco/nanodet/detection");
        using var opened = new global::ModelZoo.Store.ModelStore(new ZooSettings { Home = store.Path, Offline = true });
        Assert.True(opened.IsCached(card), result.All);
    }
}
