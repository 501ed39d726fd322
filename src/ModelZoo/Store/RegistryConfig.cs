using System.Xml.Linq;

namespace ModelZoo.Store;

/// <summary>
/// Finds registry base URLs: first <see cref="ZooSettings"/> (ZOO_NUGET_SOURCE, ZOO_NPM_REGISTRY), then the
/// user's own NuGet and npm configuration files. There is deliberately no built-in registry address: a
/// machine with no configured source gets an error that says how to configure one.
/// </summary>
internal sealed class RegistryConfig(ZooSettings settings, string? userProfile = null, string? appData = null)
{
    private readonly string _userProfile = userProfile ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
    private readonly string _appData = appData ?? Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData);

    /// <summary>Where NuGet keeps the user-wide NuGet.Config on this platform.</summary>
    public string NuGetConfigPath => OperatingSystem.IsWindows()
        ? Path.Combine(_appData, "NuGet", "NuGet.Config")
        : Path.Combine(_userProfile, ".nuget", "NuGet", "NuGet.Config");

    /// <summary>The user's npm configuration file.</summary>
    public string NpmrcPath => Path.Combine(_userProfile, ".npmrc");

    /// <summary>The NuGet v3 service index or flat-container base to use.</summary>
    public string NuGetSource() =>
        settings.NuGetSource ?? ReadNuGetConfig() ?? throw new DownloadException(
            $"No NuGet source is configured (neither {ZooSettings.NuGetSourceVariable} nor a v3 source in {NuGetConfigPath})",
            $"set {ZooSettings.NuGetSourceVariable} to your NuGet v3 service index URL (see `dotnet nuget list source`) or add a NuGet source");

    /// <summary>The npm registry to use for <paramref name="packageName"/> (a scope's own registry wins).</summary>
    public string NpmRegistry(string packageName) =>
        settings.NpmRegistry ?? ReadNpmrc(packageName) ?? throw new DownloadException(
            $"No npm registry is configured (neither {ZooSettings.NpmRegistryVariable} nor a registry line in {NpmrcPath})",
            $"set {ZooSettings.NpmRegistryVariable} to your npm registry URL (see `npm config get registry`) or add registry=… to {NpmrcPath}");

    private string? ReadNuGetConfig()
    {
        if (!File.Exists(NuGetConfigPath))
        {
            return null;
        }
        XDocument document;
        try
        {
            document = XDocument.Load(NuGetConfigPath);
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
        var sources = document.Root?.Element("packageSources");
        var disabled = document.Root?.Element("disabledPackageSources")?.Elements("add")
            .Where(e => string.Equals((string?)e.Attribute("value"), "true", StringComparison.OrdinalIgnoreCase))
            .Select(e => (string?)e.Attribute("key")).ToHashSet() ?? [];
        return sources?.Elements("add")
            .Where(e => !disabled.Contains((string?)e.Attribute("key")))
            .Select(e => (Url: (string?)e.Attribute("value"), Protocol: (string?)e.Attribute("protocolVersion")))
            .Where(s => s.Url is not null && Uri.TryCreate(s.Url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http")
            .FirstOrDefault(s => s.Protocol == "3" || s.Url!.EndsWith("index.json", StringComparison.OrdinalIgnoreCase))
            .Url;
    }

    private string? ReadNpmrc(string packageName)
    {
        if (!File.Exists(NpmrcPath))
        {
            return null;
        }
        string? registry = null;
        string? scoped = null;
        var scope = packageName.StartsWith('@') && packageName.Contains('/') ? packageName[..packageName.IndexOf('/')] : null;
        foreach (var raw in File.ReadLines(NpmrcPath))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || line.StartsWith(';'))
            {
                continue;
            }
            var eq = line.IndexOf('=');
            if (eq <= 0)
            {
                continue;
            }
            var key = line[..eq].Trim();
            var value = line[(eq + 1)..].Trim().Trim('"');
            if (key == "registry")
            {
                registry = value;
            }
            else if (scope is not null && key == scope + ":registry")
            {
                scoped = value;
            }
        }
        return scoped ?? registry;
    }
}
