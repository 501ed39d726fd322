using System.Text;

namespace ModelZoo.Store;

/// <summary>
/// Paths inside the store. Layout under <see cref="ZooSettings.Home"/>:
/// <code>
/// CACHEDIR.TAG                              marks the tree as a cache for backup tools
/// blobs/sha256/ab/abcdef…                   verified file bytes, named by their SHA-256
/// models/&lt;handle&gt;/&lt;version&gt;/&lt;Name&gt;          each card file under its declared name: a hard link
///                                           to its blob (a copy where links are unsupported)
/// packages/nuget/&lt;id&gt;/&lt;version&gt;.nupkg        package archives, downloaded once per package
/// packages/npm/&lt;name&gt;/&lt;version&gt;.tgz
/// locks/&lt;key&gt;.lock                         cross-process locks (one per blob or package)
/// tmp/                                      partial downloads (&lt;key&gt;.partial, resumable) and
///                                           unique temp files, renamed into place when complete
/// </code>
/// Handles, versions and package names are escaped to one portable folder name each: characters
/// other than <c>a-z 0-9 . -</c> become <c>_xx</c> (hex of the UTF-8 byte), so the tree is safe on
/// case-insensitive Windows and macOS file systems.
/// </summary>
internal sealed class StoreLayout
{
    private const string CacheDirTag =
        "Signature: 8a477f597d28d172789f06886806bc55\n" +
        "# This file is a cache directory tag created by ModelZoo.NET.\n" +
        "# For information about cache directory tags see https://bford.info/cachedir/\n";

    public StoreLayout(string home)
    {
        Home = Path.GetFullPath(home);
    }

    public string Home { get; }

    public string BlobsRoot => Path.Combine(Home, "blobs", "sha256");

    public string ModelsRoot => Path.Combine(Home, "models");

    public string PackagesRoot => Path.Combine(Home, "packages");

    public string TempRoot => Path.Combine(Home, "tmp");

    public string LocksRoot => Path.Combine(Home, "locks");

    /// <summary>Creates the top folders and the CACHEDIR.TAG once.</summary>
    public void EnsureCreated()
    {
        Directory.CreateDirectory(Home);
        foreach (var dir in new[] { BlobsRoot, ModelsRoot, PackagesRoot, TempRoot, LocksRoot })
        {
            Directory.CreateDirectory(dir);
        }
        var tag = Path.Combine(Home, "CACHEDIR.TAG");
        if (!File.Exists(tag))
        {
            var temp = NewTempFile("tag");
            File.WriteAllText(temp, CacheDirTag);
            File.Move(temp, tag, overwrite: true);
        }
    }

    public string Blob(string sha256) => Path.Combine(BlobsRoot, sha256[..2], sha256);

    public string ModelFolder(string handle, string version) =>
        Path.Combine(ModelsRoot, Escape(handle), Escape(version));

    public string ModelFile(string handle, string version, string name)
    {
        var folder = ModelFolder(handle, version);
        return Path.Combine(folder, Path.Combine(name.Split('/')));
    }

    public string Package(string registry, string name, string version, string extension) =>
        Path.Combine(PackagesRoot, registry, Escape(name), Escape(version) + extension);

    /// <summary>The lock (and partial-download) key of a package archive, derived from its path so that garbage collection finds it.</summary>
    public string PackageKey(string packagePath) =>
        "pkg-" + Path.GetRelativePath(PackagesRoot, packagePath).Replace(Path.DirectorySeparatorChar, '/');

    public string Lock(string key) => Path.Combine(LocksRoot, Escape(key) + ".lock");

    /// <summary>The resumable partial-download file for a key; only the holder of the key's lock writes it.</summary>
    public string Partial(string key) => Path.Combine(TempRoot, Escape(key) + ".partial");

    /// <summary>A fresh, unique temp file path (not created).</summary>
    public string NewTempFile(string hint) =>
        Path.Combine(TempRoot, $"{Escape(hint)}.{Guid.NewGuid():N}.tmp");

    /// <summary>Escapes any text to one portable path segment (see the type's remarks).</summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.' && !(builder.Length == 0 && c == '.'))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('_').Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }

    /// <summary>True when a card file name is a relative path that stays inside the model folder.</summary>
    public static bool IsSafeRelativeName(string name) =>
        name.Length > 0
        && !name.Contains('\\') && !name.Contains(':') && !name.StartsWith('/')
        && name.Split('/').All(segment => segment.Length > 0 && segment != "." && segment != ".."
                                          && segment.IndexOfAny(Path.GetInvalidFileNameChars()) < 0);
}
