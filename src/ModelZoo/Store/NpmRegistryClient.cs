using System.Security.Cryptography;

namespace ModelZoo.Store;

/// <summary>
/// Downloads npm tarballs into <c>packages/npm/</c>, once per package: reads the package document
/// (<c>{registry}/{name}</c>, a scope's '/' sent as <c>%2f</c>), takes <c>versions[v].dist.tarball</c>, and checks
/// the tarball against <c>dist.integrity</c> (Subresource-Integrity form, e.g. <c>sha512-…</c>), or the older
/// <c>dist.shasum</c> (SHA-1 hex) when that is all the registry publishes.
/// </summary>
internal sealed class NpmRegistryClient(HttpGateway http, RegistryConfig config, StoreLayout layout)
{
    // The abbreviated "corgi" document holds dist and is much smaller; full JSON is the fallback.
    private const string MetadataAccept = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8";

    // reserveBytes: space the caller needs after the download (the file it extracts), checked with the tarball's size.
    public async Task<string> GetPackageAsync(string name, string version, Action<long, long?>? progress, CancellationToken ct, long reserveBytes = 0) =>
        await PackageFiles.GetOrFetchAsync(layout, layout.Package("npm", name, version, ".tgz"),
            partial => FetchAsync(name, version, partial, progress, ct, reserveBytes), ct).ConfigureAwait(false);

    private async Task FetchAsync(string name, string version, string partial, Action<long, long?>? progress, CancellationToken ct,
        long reserveBytes)
    {
        var label = $"{name}@{version}";
        http.EnsureOnline($"npm package {label}");
        var registry = config.NpmRegistry(name);
        if (!Uri.TryCreate(registry.EndsWith('/') ? registry : registry + "/", UriKind.Absolute, out var registryUri)
            || registryUri.Scheme is not ("https" or "http"))
        {
            throw new DownloadException($"The npm registry '{registry}' is not an http(s) URL",
                $"set {ZooSettings.NpmRegistryVariable} to your npm registry URL");
        }
        var documentUrl = new Uri(registryUri, name.Replace("/", "%2f", StringComparison.Ordinal));
        string tarball;
        string? integrity;
        string? shasum;
        using (var document = await http.GetJsonAsync(documentUrl, $"npm package {name}", ct, MetadataAccept).ConfigureAwait(false))
        {
            if (!document.RootElement.TryGetProperty("versions", out var versions)
                || !versions.TryGetProperty(version, out var entry)
                || !entry.TryGetProperty("dist", out var dist)
                || !dist.TryGetProperty("tarball", out var tarballElement))
            {
                throw new DownloadException($"The npm registry has no version {version} of {name}",
                    "check the version in the model card's source URI (`npm view NAME versions`)", documentUrl);
            }
            tarball = tarballElement.GetString() ?? "";
            integrity = dist.TryGetProperty("integrity", out var i) ? i.GetString() : null;
            shasum = dist.TryGetProperty("shasum", out var s) ? s.GetString() : null;
        }
        await http.DownloadAsync(new Uri(registryUri, tarball), partial, $"npm package {label}", null, progress, ct, reserveBytes).ConfigureAwait(false);
        await CheckIntegrityAsync(partial, label, integrity, shasum, ct).ConfigureAwait(false);
    }

    private static async Task CheckIntegrityAsync(string file, string label, string? integrity, string? shasum, CancellationToken ct)
    {
        // SRI may list several hashes; use the strongest one this client knows.
        var candidates = (integrity ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(token => token.Split('-', 2))
            .Where(parts => parts.Length == 2)
            .Select(parts => (Algorithm: parts[0].ToLowerInvariant(), Value: parts[1].Split('?')[0]))
            .ToList();
        foreach (var (algorithm, name) in new[] { ("sha512", HashAlgorithmName.SHA512), ("sha384", HashAlgorithmName.SHA384), ("sha256", HashAlgorithmName.SHA256) })
        {
            var match = candidates.FirstOrDefault(c => c.Algorithm == algorithm);
            if (match.Value is null)
            {
                continue;
            }
            var actual = Convert.ToBase64String(await FileHashing.HashAsync(file, name, ct).ConfigureAwait(false));
            if (actual != match.Value)
            {
                File.Delete(file);
                throw new PackageIntegrityException(label, algorithm, $"{algorithm}-{match.Value}", $"{algorithm}-{actual}");
            }
            return;
        }
        if (shasum is { Length: 40 })
        {
            var actual = Convert.ToHexStringLower(await FileHashing.HashAsync(file, HashAlgorithmName.SHA1, ct).ConfigureAwait(false));
            if (!actual.Equals(shasum, StringComparison.OrdinalIgnoreCase))
            {
                File.Delete(file);
                throw new PackageIntegrityException(label, "sha1", shasum, actual);
            }
        }
    }
}
