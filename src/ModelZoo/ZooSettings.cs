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

    /// <summary>Reads the settings from environment variables, defaulting the home to the platform cache directory.</summary>
    public static ZooSettings FromEnvironment()
    {
        var home = Environment.GetEnvironmentVariable(HomeVariable);
        return new ZooSettings
        {
            Home = string.IsNullOrWhiteSpace(home) ? DefaultHome() : Path.GetFullPath(home),
            Offline = IsTrue(Environment.GetEnvironmentVariable(OfflineVariable)),
            NuGetSource = NullIfEmpty(Environment.GetEnvironmentVariable(NuGetSourceVariable)),
            NpmRegistry = NullIfEmpty(Environment.GetEnvironmentVariable(NpmRegistryVariable))
                          ?? NullIfEmpty(Environment.GetEnvironmentVariable(NpmConfigRegistryVariable))
                          ?? NullIfEmpty(Environment.GetEnvironmentVariable(NpmConfigRegistryVariable.ToUpperInvariant())),
            HfEndpoint = NullIfEmpty(Environment.GetEnvironmentVariable(HfEndpointVariable)),
        };
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
