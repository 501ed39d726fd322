using ModelZoo.Store;

namespace ModelZoo.Tests.Store;

public sealed class RegistryConfigTests
{
    [Fact]
    public void NuGetSource_ComesFromSettingsFirst()
    {
        using var home = new StoreSandbox();
        var settings = new ZooSettings { Home = home.Store, NuGetSource = "http://127.0.0.1:1/v3/index.json" };

        Assert.Equal("http://127.0.0.1:1/v3/index.json", new RegistryConfig(settings, home.Empty, home.Empty).NuGetSource());
    }

    [Fact]
    public void NuGetSource_ReadsFirstEnabledV3SourceFromUserConfig()
    {
        using var home = new StoreSandbox();
        var config = new RegistryConfig(new ZooSettings { Home = home.Store }, home.Empty, home.Empty);
        Directory.CreateDirectory(Path.GetDirectoryName(config.NuGetConfigPath)!);
        File.WriteAllText(config.NuGetConfigPath, """
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local" value="/srv/packages" />
                <add key="off" value="https://disabled.example/v3/index.json" protocolVersion="3" />
                <add key="corp" value="https://feed.example/nuget/v3/index.json" />
              </packageSources>
              <disabledPackageSources>
                <add key="off" value="true" />
              </disabledPackageSources>
            </configuration>
            """);

        Assert.Equal("https://feed.example/nuget/v3/index.json", config.NuGetSource());
    }

    [Fact]
    public void NuGetSource_WithNothingConfigured_SaysWhichVariableToSet()
    {
        using var home = new StoreSandbox();
        var config = new RegistryConfig(new ZooSettings { Home = home.Store }, home.Empty, home.Empty);

        var error = Assert.Throws<DownloadException>(() => config.NuGetSource());

        Assert.Contains(ZooSettings.NuGetSourceVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NpmRegistry_ReadsNpmrc_WithScopedRegistryWinning()
    {
        using var home = new StoreSandbox();
        var config = new RegistryConfig(new ZooSettings { Home = home.Store }, home.Empty, home.Empty);
        File.WriteAllText(config.NpmrcPath, """
            # comment
            fund=false
            registry=https://npm.example/
            @corp:registry=https://corp.example/npm/
            """);

        Assert.Equal("https://npm.example/", config.NpmRegistry("plain-package"));
        Assert.Equal("https://corp.example/npm/", config.NpmRegistry("@corp/models"));
        Assert.Equal("https://npm.example/", config.NpmRegistry("@other/models"));
    }

    [Fact]
    public void NpmRegistry_WithNothingConfigured_SaysWhichVariableToSet()
    {
        using var home = new StoreSandbox();
        var config = new RegistryConfig(new ZooSettings { Home = home.Store }, home.Empty, home.Empty);

        var error = Assert.Throws<DownloadException>(() => config.NpmRegistry("x"));

        Assert.Contains(ZooSettings.NpmRegistryVariable, error.Message, StringComparison.Ordinal);
    }
}
