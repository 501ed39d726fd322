using System.Diagnostics;
using ModelZoo.Store;

namespace ModelZoo.Tests.Store;

/// <summary>Each step of the npm and NuGet registry resolution, in the order the package tools apply them.</summary>
public sealed class RegistryConfigTests
{
    private static ZooSettings Bare(StoreSandbox home) => new() { Home = home.Store };

    private static string Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static string NuGetConfig(params string[] adds) =>
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration>\n  <packageSources>\n"
        + string.Concat(adds.Select(a => "    " + a + "\n")) + "  </packageSources>\n</configuration>\n";

    [Fact]
    public void NuGetSource_ComesFromSettingsFirst()
    {
        using var home = new StoreSandbox();
        var user = Write(Path.Combine(home.Empty, "NuGet.Config"), NuGetConfig("<add key=\"u\" value=\"https://user.example/v3/index.json\" />"));
        var settings = Bare(home) with { NuGetSource = "http://127.0.0.1:1/v3/index.json", NuGetUserConfig = user };

        Assert.Equal("http://127.0.0.1:1/v3/index.json", new RegistryConfig(settings).NuGetSource());
    }

    [Fact]
    public void NuGetSource_ReadsFirstEnabledV3SourceFromUserConfig()
    {
        using var home = new StoreSandbox();
        var user = Write(Path.Combine(home.Empty, ".nuget", "NuGet", "NuGet.Config"), """
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

        Assert.Equal("https://feed.example/nuget/v3/index.json", new RegistryConfig(Bare(home) with { NuGetUserConfig = user }).NuGetSource());
    }

    [Fact]
    public void NuGetSource_ProjectConfigAboveTheWorkingDirectoryBeatsTheUserConfig_AndClearHidesIt()
    {
        using var home = new StoreSandbox();
        var user = Write(Path.Combine(home.Empty, "user", "NuGet.Config"), NuGetConfig("<add key=\"u\" value=\"https://user.example/v3/index.json\" />"));
        var project = Path.Combine(home.Root, "repo");
        var work = Path.Combine(project, "src", "app");
        Directory.CreateDirectory(work);
        var settings = Bare(home) with { NuGetUserConfig = user, WorkingDirectory = work };
        Assert.Equal("https://user.example/v3/index.json", new RegistryConfig(settings).NuGetSource());

        Write(Path.Combine(project, "NuGet.Config"), NuGetConfig("<add key=\"p\" value=\"https://project.example/v3/index.json\" />"));
        Assert.Equal("https://project.example/v3/index.json", new RegistryConfig(settings).NuGetSource());

        // A closer file that clears the list and names only a folder feed leaves no http source to fall back on.
        Write(Path.Combine(work, "nuget.config"), NuGetConfig("<clear />", "<add key=\"folder\" value=\"../packages\" />"));
        Assert.Throws<DownloadException>(() => new RegistryConfig(settings).NuGetSource());
    }

    [Fact]
    public void NuGetSource_WithNoConfigFile_AsksDotnetForTheSourcesItWouldUse()
    {
        using var home = new StoreSandbox();
        var dotnet = ZooSettings.FromEnvironment().DotnetCommand;
        Assert.False(dotnet is null, "no dotnet on PATH");
        var settings = Bare(home) with { WorkingDirectory = home.Empty, DotnetCommand = dotnet };

        var source = new RegistryConfig(settings).NuGetSource();

        var listing = RunTool(dotnet!, home.Empty, "nuget", "list", "source", "--format", "short");
        var expected = listing.Split('\n').Select(l => l.Trim().Split(' ', 2)).First(p => p.Length == 2 && p[0].StartsWith('E') && p[1].EndsWith("index.json", StringComparison.Ordinal))[1];
        Assert.Equal(expected.Trim(), source);
        Assert.True(Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http", source);
    }

    [Fact]
    public void NuGetSource_WithNothingConfigured_SaysWhichVariableToSet()
    {
        using var home = new StoreSandbox();
        var error = Assert.Throws<DownloadException>(() => new RegistryConfig(Bare(home)).NuGetSource());

        Assert.Contains(ZooSettings.NuGetSourceVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NpmRegistry_ExplicitSettingBeatsEveryFile()
    {
        using var home = new StoreSandbox();
        var user = Write(Path.Combine(home.Empty, ".npmrc"), "registry=https://user.example/\n");
        var settings = Bare(home) with { NpmRegistry = "http://127.0.0.1:1/", NpmUserConfig = user };

        Assert.Equal("http://127.0.0.1:1/", new RegistryConfig(settings).NpmRegistry("x"));
    }

    [Fact]
    public void Environment_ZooVariableBeatsNpmConfigRegistry_WhichNpmReadsInAnyCase()
    {
        var cwd = Path.GetTempPath();
        var both = ZooSettings.FromVariables(new Dictionary<string, string>
        {
            [ZooSettings.NpmRegistryVariable] = "https://zoo.example/",
            ["npm_config_registry"] = "https://npm.example/",
        }, cwd);
        Assert.Equal("https://zoo.example/", both.NpmRegistry);

        var upper = ZooSettings.FromVariables(new Dictionary<string, string> { ["NPM_CONFIG_REGISTRY"] = "https://upper.example/" }, cwd);
        Assert.Equal("https://upper.example/", upper.NpmRegistry);
        var mixed = ZooSettings.FromVariables(new Dictionary<string, string> { ["Npm_Config_Registry"] = "https://mixed.example/" }, cwd);
        Assert.Equal("https://mixed.example/", mixed.NpmRegistry);
        Assert.Null(ZooSettings.FromVariables(new Dictionary<string, string>(), cwd).NpmRegistry);
    }

    [Fact]
    public void Environment_NamesTheUserAndGlobalNpmrcTheWayNpmDoes()
    {
        var cwd = Path.GetTempPath();
        var profile = Path.Combine(cwd, "profile");
        var prefix = Path.Combine(cwd, "prefix");
        var defaults = ZooSettings.FromVariables(new Dictionary<string, string> { ["HOME"] = profile, ["USERPROFILE"] = profile, ["PREFIX"] = prefix }, cwd);
        Assert.Equal(Path.Combine(profile, ".npmrc"), defaults.NpmUserConfig);
        Assert.Equal(Path.Combine(prefix, "etc", "npmrc"), defaults.NpmGlobalConfig);
        Assert.Equal(cwd, defaults.WorkingDirectory);

        var overridden = ZooSettings.FromVariables(new Dictionary<string, string>
        {
            ["HOME"] = profile,
            ["NPM_CONFIG_USERCONFIG"] = "/cfg/user-npmrc",
            ["npm_config_globalconfig"] = "/cfg/global-npmrc",
            ["npm_config_prefix"] = "/ignored",
        }, cwd);
        Assert.Equal("/cfg/user-npmrc", overridden.NpmUserConfig);
        Assert.Equal("/cfg/global-npmrc", overridden.NpmGlobalConfig);

        var viaPrefix = ZooSettings.FromVariables(new Dictionary<string, string> { ["npm_config_prefix"] = prefix, ["PREFIX"] = "/other" }, cwd);
        Assert.Equal(Path.Combine(prefix, "etc", "npmrc"), viaPrefix.NpmGlobalConfig);
    }

    [Fact]
    public void NpmRegistry_ProjectNpmrcBeatsUserWhichBeatsGlobal()
    {
        using var home = new StoreSandbox();
        var global = Write(Path.Combine(home.Root, "prefix", "etc", "npmrc"), "registry=https://global.example/\n");
        var user = Path.Combine(home.Empty, ".npmrc");
        var project = Path.Combine(home.Root, "project");
        var work = Path.Combine(project, "lib", "deep");
        Directory.CreateDirectory(work);
        Write(Path.Combine(project, "package.json"), "{}");
        var settings = Bare(home) with { NpmGlobalConfig = global, NpmUserConfig = user, WorkingDirectory = work };

        Assert.Equal("https://global.example/", new RegistryConfig(settings).NpmRegistry("x"));
        Write(user, "fund=false\nregistry=https://user.example/\n");
        Assert.Equal("https://user.example/", new RegistryConfig(settings).NpmRegistry("x"));
        // npm's project is the nearest folder with package.json; an .npmrc in the working folder itself is not read.
        Write(Path.Combine(work, ".npmrc"), "registry=https://not-the-project.example/\n");
        Assert.Equal("https://user.example/", new RegistryConfig(settings).NpmRegistry("x"));
        Write(Path.Combine(project, ".npmrc"), "registry=https://project.example/\n");
        Assert.Equal("https://project.example/", new RegistryConfig(settings).NpmRegistry("x"));
    }

    [Fact]
    public void NpmRegistry_ScopedRegistryAtAnyLevelWins()
    {
        using var home = new StoreSandbox();
        var user = Write(Path.Combine(home.Empty, ".npmrc"), """
            # comment
            fund=false
            registry=https://npm.example/
            """);
        var global = Write(Path.Combine(home.Root, "global-npmrc"), "@corp:registry=https://corp.example/npm/\n");
        var settings = Bare(home) with { NpmUserConfig = user, NpmGlobalConfig = global };

        Assert.Equal("https://npm.example/", new RegistryConfig(settings).NpmRegistry("plain-package"));
        Assert.Equal("https://corp.example/npm/", new RegistryConfig(settings).NpmRegistry("@corp/models"));
        Assert.Equal("https://npm.example/", new RegistryConfig(settings).NpmRegistry("@other/models"));
    }

    [Fact]
    public void NpmRegistry_WithNoRegistryLine_AsksNpm()
    {
        using var home = new StoreSandbox();
        var npm = ZooSettings.FromEnvironment().NpmCommand;
        Assert.False(npm is null, "no npm on PATH: run scripts/install-test-deps.sh");
        var user = Write(Path.Combine(home.Empty, ".npmrc"), "fund=false\n");
        var settings = Bare(home) with { NpmUserConfig = user, WorkingDirectory = home.Empty, NpmCommand = npm };

        var registry = new RegistryConfig(settings).NpmRegistry("x");

        Assert.Equal(RunTool(npm!, home.Empty, "config", "get", "registry").Trim(), registry);
        Assert.True(Uri.TryCreate(registry, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http", registry);
    }

    [Fact]
    public void NpmRegistry_WithNothingConfigured_SaysWhichVariableToSet()
    {
        using var home = new StoreSandbox();
        var error = Assert.Throws<DownloadException>(() => new RegistryConfig(Bare(home)).NpmRegistry("x"));

        Assert.Contains(ZooSettings.NpmRegistryVariable, error.Message, StringComparison.Ordinal);
    }

    private static string RunTool(string tool, string cwd, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = cwd };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
