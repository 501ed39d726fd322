using System.Xml.Linq;

namespace ModelZoo.Store;

/// <summary>
/// Finds registry base URLs the way the package tools themselves do. npm: ZOO_NPM_REGISTRY or npm_config_registry
/// (both already in <see cref="ZooSettings.NpmRegistry"/>), the project <c>.npmrc</c>, the user and the global npmrc,
/// then npm's own answer (<c>npm config get registry</c>, which knows its built-in default). NuGet: ZOO_NUGET_SOURCE,
/// the <c>NuGet.Config</c> files from the working directory upward, the user's NuGet.Config, then
/// <c>dotnet nuget list source</c>. There is deliberately no registry address in the code: a machine with neither a
/// configuration nor the tools gets an error that says how to configure one.
/// </summary>
internal sealed class RegistryConfig(ZooSettings settings)
{
    private static readonly string[] NuGetConfigNames = ["nuget.config", "NuGet.config", "NuGet.Config"];

    /// <summary>The NuGet v3 service index or flat-container base to use.</summary>
    public string NuGetSource() =>
        settings.NuGetSource ?? FromNuGetConfigs() ?? AskDotnet() ?? throw new DownloadException(
            $"No NuGet source is configured (neither {ZooSettings.NuGetSourceVariable}, a v3 source in a NuGet.Config, nor a `dotnet` to ask)",
            $"set {ZooSettings.NuGetSourceVariable} to your NuGet v3 service index URL (see `dotnet nuget list source`) or add a NuGet source");

    /// <summary>The npm registry to use for <paramref name="packageName"/> (a scope's own registry wins).</summary>
    public string NpmRegistry(string packageName)
    {
        var scope = packageName.StartsWith('@') && packageName.Contains('/') ? packageName[..packageName.IndexOf('/')] : null;
        var files = NpmrcFiles().ToList();
        // npm resolves each key through every level before the next key: a scope's registry anywhere beats a plain one.
        var scoped = scope is null ? null : files.Select(f => ReadNpmrc(f, scope + ":registry")).FirstOrDefault(v => v is not null);
        return scoped ?? settings.NpmRegistry ?? files.Select(f => ReadNpmrc(f, "registry")).FirstOrDefault(v => v is not null)
               ?? AskNpm() ?? throw new DownloadException(
                   $"No npm registry is configured (neither {ZooSettings.NpmRegistryVariable}, a registry line in an .npmrc, nor an `npm` to ask)",
                   $"set {ZooSettings.NpmRegistryVariable} to your npm registry URL (see `npm config get registry`) or install npm");
    }

    /// <summary>The npmrc files npm reads, most specific first: project, user, global.</summary>
    private IEnumerable<string> NpmrcFiles()
    {
        if (ProjectRoot() is { } project)
        {
            yield return Path.Combine(project, ".npmrc");
        }
        if (settings.NpmUserConfig is { } user)
        {
            yield return user;
        }
        if (settings.NpmGlobalConfig is { } global)
        {
            yield return global;
        }
    }

    /// <summary>npm's project: the nearest folder at or above the working directory holding package.json or
    /// node_modules, else the working directory itself.</summary>
    private string? ProjectRoot()
    {
        if (settings.WorkingDirectory is not { } start)
        {
            return null;
        }
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "package.json")) || Directory.Exists(Path.Combine(dir.FullName, "node_modules")))
            {
                return dir.FullName;
            }
        }
        return start;
    }

    private static string? ReadNpmrc(string path, string wanted)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        string? found = null;
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || line.StartsWith(';'))
            {
                continue;
            }
            var eq = line.IndexOf('=');
            if (eq > 0 && line[..eq].Trim() == wanted)
            {
                found = line[(eq + 1)..].Trim().Trim('"');
            }
        }
        return HttpUrl(found);
    }

    private string? AskNpm() =>
        settings.NpmCommand is { } npm ? HttpUrl(PackageToolQuery.Run(npm, ["config", "get", "registry"], settings.WorkingDirectory)) : null;

    private string? AskDotnet()
    {
        if (settings.DotnetCommand is not { } dotnet)
        {
            return null;
        }
        // `--format short` prints one "E|D <url>" line per source: E for enabled.
        var listing = PackageToolQuery.Run(dotnet, ["nuget", "list", "source", "--format", "short"], settings.WorkingDirectory);
        return listing?.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', 2, StringSplitOptions.TrimEntries))
            .Where(p => p.Length == 2 && p[0].StartsWith('E'))
            .Select(p => HttpUrl(p[1]))
            .FirstOrDefault(u => u is not null && u.EndsWith("index.json", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The first enabled v3 source of the NuGet.Config files NuGet reads, closest first; a
    /// <c>&lt;clear/&gt;</c> hides every file farther away.</summary>
    private string? FromNuGetConfigs()
    {
        var files = new List<string>();
        if (settings.WorkingDirectory is { } start)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                files.AddRange(NuGetConfigNames.Select(n => Path.Combine(dir.FullName, n)).Where(File.Exists).Take(1));
            }
        }
        if (settings.NuGetUserConfig is { } user && File.Exists(user))
        {
            files.Add(user);
        }
        var disabled = new HashSet<string?>();
        foreach (var file in files.Distinct(StringComparer.Ordinal))
        {
            XElement? root;
            try
            {
                root = XDocument.Load(file).Root;
            }
            catch (System.Xml.XmlException)
            {
                continue;
            }
            foreach (var off in root?.Element("disabledPackageSources")?.Elements("add") ?? [])
            {
                if (string.Equals((string?)off.Attribute("value"), "true", StringComparison.OrdinalIgnoreCase))
                {
                    disabled.Add((string?)off.Attribute("key"));
                }
            }
            var sources = root?.Element("packageSources");
            var found = sources?.Elements("add")
                .Where(e => !disabled.Contains((string?)e.Attribute("key")))
                .Select(e => (Url: HttpUrl((string?)e.Attribute("value")), Protocol: (string?)e.Attribute("protocolVersion")))
                .FirstOrDefault(s => s.Url is not null && (s.Protocol == "3" || s.Url.EndsWith("index.json", StringComparison.OrdinalIgnoreCase)))
                .Url;
            if (found is not null)
            {
                return found;
            }
            if (sources?.Element("clear") is not null)
            {
                break;
            }
        }
        return null;
    }

    private static string? HttpUrl(string? value) =>
        value is not null && Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? value.Trim()
            : null;
}
