using System.Security.Cryptography;

namespace ModelZoo.Store;

/// <summary>
/// Downloads .nupkg archives from a NuGet v3 feed into <c>packages/nuget/</c>, once per package.
/// The feed is a service index (<c>…/index.json</c>, whose <c>PackageBaseAddress/3.0.0</c> resource is the
/// flat container) or directly a flat-container base URL. The archive is checked against the SHA-512
/// <c>packageHash</c> the feed publishes in its catalog, reached through the registration leaf
/// (<c>RegistrationsBaseUrl</c>/{id}/{version}.json → catalogEntry). Feeds that serve only the flat
/// container (as some mirrors and proxies do) publish no hash the client can reach; the package is then
/// accepted on the strength of the SHA-256 of the extracted file, which the model card always fixes; a
/// mismatch there drops the cached archive too.
/// </summary>
internal sealed class NuGetFeed(HttpGateway http, RegistryConfig config, StoreLayout layout)
{
    private readonly SemaphoreSlim _resolveGate = new(1, 1);
    private (Uri FlatContainer, Uri? Registrations)? _endpoints;

    /// <summary>Returns the path of the cached archive, downloading and checking it first when needed.</summary>
    // reserveBytes: space the caller needs after the download (the file it extracts), checked with the package's size.
    public async Task<string> GetPackageAsync(string id, string version, Action<long, long?>? progress, CancellationToken ct, long reserveBytes = 0)
    {
        var lowerId = id.ToLowerInvariant();
        var lowerVersion = NormalizeVersion(version).ToLowerInvariant();
        return await PackageFiles.GetOrFetchAsync(layout, layout.Package("nuget", lowerId, lowerVersion, ".nupkg"),
            partial => FetchAsync(id, version, lowerId, lowerVersion, partial, progress, ct, reserveBytes), ct).ConfigureAwait(false);
    }

    private async Task FetchAsync(string id, string version, string lowerId, string lowerVersion, string partial,
        Action<long, long?>? progress, CancellationToken ct, long reserveBytes)
    {
        var label = $"{id} {version}";
        http.EnsureOnline($"NuGet package {label}");
        var (flat, registrations) = await ResolveAsync(ct).ConfigureAwait(false);
        var url = new Uri(flat, $"{Uri.EscapeDataString(lowerId)}/{Uri.EscapeDataString(lowerVersion)}/{Uri.EscapeDataString(lowerId)}.{Uri.EscapeDataString(lowerVersion)}.nupkg");
        await http.DownloadAsync(url, partial, $"NuGet package {label}", null, progress, ct, reserveBytes).ConfigureAwait(false);
        if (registrations is not null
            && await TryPublishedHashAsync(registrations, lowerId, lowerVersion, ct).ConfigureAwait(false) is { } published)
        {
            var actual = Convert.ToBase64String(await FileHashing.HashAsync(partial, HashAlgorithmName.SHA512, ct).ConfigureAwait(false));
            if (actual != published)
            {
                File.Delete(partial);
                throw new PackageIntegrityException($"{id}@{version}", "SHA-512", published, actual);
            }
        }
    }

    /// <summary>NuGet's normalized form: build metadata dropped, at least three numeric parts, a zero fourth part dropped.</summary>
    public static string NormalizeVersion(string version)
    {
        var plus = version.IndexOf('+');
        var core = plus < 0 ? version : version[..plus];
        var dash = core.IndexOf('-');
        var numbers = (dash < 0 ? core : core[..dash]).Split('.').ToList();
        var suffix = dash < 0 ? "" : core[dash..];
        if (numbers.Count > 0 && numbers.All(n => n.Length > 0 && n.All(char.IsAsciiDigit)))
        {
            numbers = numbers.Select(n => n.TrimStart('0') is { Length: > 0 } t ? t : "0").ToList();
            while (numbers.Count < 3)
            {
                numbers.Add("0");
            }
            if (numbers.Count == 4 && numbers[3] == "0")
            {
                numbers.RemoveAt(3);
            }
        }
        return string.Join('.', numbers) + suffix;
    }

    private async Task<(Uri FlatContainer, Uri? Registrations)> ResolveAsync(CancellationToken ct)
    {
        await _resolveGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_endpoints is { } known)
            {
                return known;
            }
            var source = config.NuGetSource();
            if (!Uri.TryCreate(source, UriKind.Absolute, out var sourceUri) || sourceUri.Scheme is not ("https" or "http"))
            {
                throw new DownloadException($"The NuGet source '{source}' is not an http(s) URL",
                    $"set {ZooSettings.NuGetSourceVariable} to a NuGet v3 service index (…/index.json) or flat-container URL");
            }
            if (!sourceUri.AbsolutePath.EndsWith("index.json", StringComparison.OrdinalIgnoreCase))
            {
                return (_endpoints = (WithSlash(sourceUri), null)).Value;
            }
            using var index = await http.GetJsonAsync(sourceUri, "NuGet service index", ct).ConfigureAwait(false);
            var resources = index.RootElement.TryGetProperty("resources", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray()
                    .Select(r => (Type: r.TryGetProperty("@type", out var t) ? t.GetString() ?? "" : "",
                                  Id: r.TryGetProperty("@id", out var i) ? i.GetString() ?? "" : ""))
                    .ToList()
                : [];
            var flat = resources.FirstOrDefault(r => r.Type == "PackageBaseAddress/3.0.0").Id;
            if (string.IsNullOrEmpty(flat) || !Uri.TryCreate(sourceUri, flat, out var flatUri))
            {
                throw new DownloadException($"The NuGet service index {sourceUri} lists no PackageBaseAddress/3.0.0 resource",
                    $"point {ZooSettings.NuGetSourceVariable} at a NuGet v3 feed");
            }
            var registration = new[] { "RegistrationsBaseUrl/3.6.0", "RegistrationsBaseUrl/3.4.0", "RegistrationsBaseUrl" }
                .Select(type => resources.FirstOrDefault(r => r.Type == type).Id)
                .FirstOrDefault(id => !string.IsNullOrEmpty(id));
            Uri? registrationUri = registration is not null && Uri.TryCreate(sourceUri, registration, out var r) ? WithSlash(r) : null;
            return (_endpoints = (WithSlash(flatUri), registrationUri)).Value;
        }
        finally
        {
            _resolveGate.Release();
        }
    }

    /// <summary>The catalog's base64 SHA-512 of the package, or null when the feed does not make it reachable.</summary>
    private async Task<string?> TryPublishedHashAsync(Uri registrations, string lowerId, string lowerVersion, CancellationToken ct)
    {
        try
        {
            var leafUrl = new Uri(registrations, $"{Uri.EscapeDataString(lowerId)}/{Uri.EscapeDataString(lowerVersion)}.json");
            using var leaf = await http.TryGetJsonAsync(leafUrl, "NuGet registration", ct).ConfigureAwait(false);
            if (leaf is null || !leaf.RootElement.TryGetProperty("catalogEntry", out var entry))
            {
                return null;
            }
            if (entry.ValueKind == JsonValueKind.Object && ReadHash(entry) is { } inline)
            {
                return inline;
            }
            var catalogUrl = entry.ValueKind == JsonValueKind.String ? entry.GetString()
                : entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("@id", out var id) ? id.GetString() : null;
            if (catalogUrl is null || !Uri.TryCreate(leafUrl, catalogUrl, out var catalogUri))
            {
                return null;
            }
            using var catalog = await http.TryGetJsonAsync(catalogUri, "NuGet catalog entry", ct).ConfigureAwait(false);
            return catalog is null ? null : ReadHash(catalog.RootElement);
        }
        catch (DownloadException)
        {
            return null; // the feed has no reachable registration or catalog; see the type's remarks
        }
    }

    private static string? ReadHash(JsonElement element) =>
        element.TryGetProperty("packageHash", out var hash) && hash.ValueKind == JsonValueKind.String
        && (!element.TryGetProperty("packageHashAlgorithm", out var algorithm)
            || string.Equals(algorithm.GetString(), "SHA512", StringComparison.OrdinalIgnoreCase))
            ? hash.GetString()
            : null;

    private static Uri WithSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
