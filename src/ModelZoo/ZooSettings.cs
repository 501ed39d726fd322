namespace ModelZoo;

/// <summary>
/// Settings read once from the environment. Every other type takes a <see cref="ZooSettings"/>
/// rather than reading variables itself, so that tests can run isolated stores side by side.
/// </summary>
public sealed record ZooSettings
{
    /// <summary>Variable naming the store's root folder.</summary>
    public const string HomeVariable = "ZOO_HOME";
    /// <summary>Variable that, set to 1/true, forbids every network connection.</summary>
    public const string OfflineVariable = "ZOO_OFFLINE";
    /// <summary>Variable overriding the NuGet v3 service index URL.</summary>
    public const string NuGetSourceVariable = "ZOO_NUGET_SOURCE";
    /// <summary>Variable overriding the npm registry URL.</summary>
    public const string NpmRegistryVariable = "ZOO_NPM_REGISTRY";
    /// <summary>npm's own registry override (npm reads it case-insensitively); used when <see cref="NpmRegistryVariable"/> is unset.</summary>
    public const string NpmConfigRegistryVariable = "npm_config_registry";
    /// <summary>Variable overriding the Hugging Face endpoint used for <c>hf:</c> sources.</summary>
    public const string HfEndpointVariable = "ZOO_HF_ENDPOINT";
    /// <summary>Variable choosing the default device (<c>cpu</c> or <c>cuda</c>) when a command is given no <c>--device</c>.</summary>
    public const string DeviceVariable = "ZOO_DEVICE";

    /// <summary>Root of the store; holds <c>blobs/</c>, <c>models/</c>, <c>catalog/</c>, <c>tmp/</c>.</summary>
    public required string Home { get; init; }

    /// <summary>When true, no connection is ever opened; a missing file is an error naming <see cref="OfflineVariable"/>.</summary>
    public bool Offline { get; init; }

    /// <summary>Explicit NuGet v3 service index (<c>…/v3/index.json</c>) or flat-container base; null means read the user's NuGet configuration.</summary>
    public string? NuGetSource { get; init; }

    /// <summary>Explicit npm registry base URL (ZOO_NPM_REGISTRY, else npm's own npm_config_registry); null means read the user's npm configuration.</summary>
    public string? NpmRegistry { get; init; }

    /// <summary>Base URL for <c>hf:</c> sources; null means the public hub.</summary>
    public string? HfEndpoint { get; init; }

    /// <summary>The execution provider sessions use unless a command names one (<see cref="DeviceVariable"/>); CPU by
    /// default. Requesting CUDA where it is missing fails when the session is created, never falls back.</summary>
    public Runtime.ExecutionProvider Device { get; init; } = Runtime.ExecutionProvider.Cpu;

    /// <summary>Folder the project <c>.npmrc</c> and <c>NuGet.Config</c> files are looked up from (and the package
    /// tools are asked in); null skips project configuration.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The user's npm configuration file (<c>npm_config_userconfig</c>, else <c>~/.npmrc</c>); null skips it.</summary>
    public string? NpmUserConfig { get; init; }

    /// <summary>npm's global configuration file (<c>npm_config_globalconfig</c>, else <c>PREFIX/etc/npmrc</c>); null skips it.</summary>
    public string? NpmGlobalConfig { get; init; }

    /// <summary>The user-wide <c>NuGet.Config</c>; null skips it.</summary>
    public string? NuGetUserConfig { get; init; }

    /// <summary>The <c>npm</c> executable found on PATH, asked for its registry when no file names one; null never asks.</summary>
    public string? NpmCommand { get; init; }

    /// <summary>The <c>dotnet</c> executable, asked for its NuGet sources when no file names one; null never asks.</summary>
    public string? DotnetCommand { get; init; }

    /// <summary>Reads the settings from environment variables, defaulting the home to the platform cache directory.</summary>
    public static ZooSettings FromEnvironment()
    {
        var variables = new Dictionary<string, string>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                variables[key] = value;
            }
        }
        return FromVariables(variables, Environment.CurrentDirectory);
    }

    /// <summary>The settings <paramref name="variables"/> describe, for a process working in <paramref name="workingDirectory"/>.</summary>
    internal static ZooSettings FromVariables(IReadOnlyDictionary<string, string> variables, string workingDirectory)
    {
        string? Get(string name) => variables.TryGetValue(name, out var value) ? NullIfEmpty(value) : null;
        // npm reads npm_config_KEY in any letter case.
        string? Npm(string key) => variables.Where(v => v.Key.Equals("npm_config_" + key, StringComparison.OrdinalIgnoreCase))
            .Select(v => NullIfEmpty(v.Value)).FirstOrDefault(v => v is not null);
        var home = Get(HomeVariable);
        var profile = (OperatingSystem.IsWindows() ? Get("USERPROFILE") : Get("HOME"))
                      ?? NullIfEmpty(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
        var path = Get("PATH");
        var prefix = Npm("prefix") ?? Get("PREFIX") ?? NpmPrefixOf(FindOnPath(path, "node"));
        return new ZooSettings
        {
            Home = home is null ? DefaultHome() : Path.GetFullPath(home),
            Offline = IsTrue(Get(OfflineVariable)),
            NuGetSource = Get(NuGetSourceVariable),
            NpmRegistry = Get(NpmRegistryVariable) ?? Npm("registry"),
            HfEndpoint = Get(HfEndpointVariable),
            Device = Get(DeviceVariable) is { } device ? Runtime.ExecutionProviderNames.Parse(device, DeviceVariable) : Runtime.ExecutionProvider.Cpu,
            WorkingDirectory = workingDirectory,
            NpmUserConfig = Npm("userconfig") ?? (profile is null ? null : Path.Combine(profile, ".npmrc")),
            NpmGlobalConfig = Npm("globalconfig") ?? (prefix is null ? null : Path.Combine(prefix, "etc", "npmrc")),
            NuGetUserConfig = OperatingSystem.IsWindows()
                ? (Get("APPDATA") ?? NullIfEmpty(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData))) is { } appData
                    ? Path.Combine(appData, "NuGet", "NuGet.Config") : null
                : profile is null ? null : Path.Combine(profile, ".nuget", "NuGet", "NuGet.Config"),
            NpmCommand = FindOnPath(path, "npm"),
            // The SDK names its own host in DOTNET_HOST_PATH when it runs us; otherwise the dotnet on PATH.
            DotnetCommand = Get("DOTNET_HOST_PATH") is { } host && File.Exists(host) ? host : FindOnPath(path, "dotnet"),
        };
    }

    /// <summary>npm's default global prefix: the folder above node's <c>bin</c> (node's own folder on Windows).</summary>
    private static string? NpmPrefixOf(string? node)
    {
        if (node is null)
        {
            return null;
        }
        var real = new FileInfo(node).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? node;
        var bin = Path.GetDirectoryName(real);
        return OperatingSystem.IsWindows() ? bin : Path.GetDirectoryName(bin);
    }

    /// <summary>The first executable named <paramref name="name"/> on <paramref name="path"/> (with the Windows launcher extensions).</summary>
    private static string? FindOnPath(string? path, string name)
    {
        if (path is null)
        {
            return null;
        }
        string[] names = OperatingSystem.IsWindows() ? [name + ".cmd", name + ".exe", name + ".bat"] : [name];
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            foreach (var candidate in names)
            {
                var full = Path.Combine(folder.Trim('"'), candidate);
                if (File.Exists(full))
                {
                    return full;
                }
            }
        }
        return null;
    }

    /// <summary>The platform's per-user cache folder plus <c>modelzoo</c>: XDG_CACHE_HOME or ~/.cache on Linux,
    /// ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows.</summary>
    public static string DefaultHome()
    {
        string root;
        if (OperatingSystem.IsWindows())
        {
            root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        }
        else if (OperatingSystem.IsMacOS())
        {
            root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "Library", "Caches");
        }
        else
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            root = !string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg)
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        }
        return Path.Combine(root, "modelzoo");
    }

    private static bool IsTrue(string? value) =>
        value is not null && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase)
                              || value.Equals("yes", StringComparison.OrdinalIgnoreCase));

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
