namespace ModelZoo.Tests;

/// <summary>
/// Finds the real images and models tests run on. Images fetched by <c>scripts/fetch-test-assets.sh</c>
/// live in <c>&lt;repo&gt;/.cache/testdata/</c> (or the folder named by <c>ZOO_TESTDATA</c>); shared fixtures
/// such as the MobileNet v2 classifier live in a <c>shared/testdata</c> folder next to or above the repo.
/// A missing asset throws with the command that fetches it: tests fail, they never skip.
/// </summary>
public static class TestAssets
{
    /// <summary>Environment variable that overrides the fetched test-data folder.</summary>
    public const string TestDataVariable = "ZOO_TESTDATA";

    private const string FetchHint = "run scripts/fetch-test-assets.sh from the repository root";

    private static readonly Lazy<string> Root = new(FindRepoRoot);

    /// <summary>The repository root: the first folder above the test assembly holding <c>ModelZoo.slnx</c>.</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>The folder <c>scripts/fetch-test-assets.sh</c> fills: <c>$ZOO_TESTDATA</c> or <c>&lt;repo&gt;/.cache/testdata</c>.</summary>
    public static string TestDataRoot
    {
        get
        {
            var overridden = Environment.GetEnvironmentVariable(TestDataVariable);
            return string.IsNullOrWhiteSpace(overridden)
                ? Path.Combine(RepoRoot, ".cache", "testdata")
                : Path.GetFullPath(overridden);
        }
    }

    /// <summary>Full path of a fetched image, e.g. <c>Image("darknet/dog.jpg")</c>.</summary>
    /// <exception cref="FileNotFoundException">The image has not been fetched.</exception>
    public static string Image(string relative)
    {
        var path = Path.Combine(TestDataRoot, Normalize(relative));
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Test image '{relative}' is missing at {path}; {FetchHint}.", path);
        }
        return path;
    }

    /// <summary>Full path of a fetched folder, e.g. <c>ImageFolder("tuxpaint/animals")</c>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder has not been fetched.</exception>
    public static string ImageFolder(string relative)
    {
        var path = Path.Combine(TestDataRoot, Normalize(relative));
        if (!Directory.Exists(path) || !Directory.EnumerateFileSystemEntries(path).Any())
        {
            throw new DirectoryNotFoundException($"Test image folder '{relative}' is missing or empty at {path}; {FetchHint}.");
        }
        return path;
    }

    /// <summary>
    /// Full path of <c>shared/testdata/&lt;relative&gt;</c>, searched from the test assembly's folder upwards,
    /// checking both <c>&lt;dir&gt;/shared/testdata</c> and <c>&lt;dir&gt;/../shared/testdata</c> at each level.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file in any shared/testdata folder above the tests.</exception>
    public static string SharedTestData(string relative)
    {
        var rel = Normalize(relative);
        var tried = new List<string>();
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var root in new[] { Path.Combine(dir.FullName, "shared", "testdata"), Path.Combine(dir.FullName, "..", "shared", "testdata") })
            {
                var full = Path.GetFullPath(root);
                if (tried.Contains(full))
                {
                    continue;
                }
                tried.Add(full);
                var candidate = Path.Combine(full, rel);
                if (File.Exists(candidate) || Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        throw new FileNotFoundException(
            $"Shared test data '{relative}' was not found in any shared/testdata folder above {AppContext.BaseDirectory} " +
            $"(looked in {string.Join(", ", tried.Where(Directory.Exists).DefaultIfEmpty("none that exist"))}); " +
            "place the shared test data (e.g. shared/testdata/imagenet/) beside or above the repository.", rel);
    }

    private static string Normalize(string relative)
    {
        ArgumentException.ThrowIfNullOrEmpty(relative);
        if (Path.IsPathRooted(relative))
        {
            throw new ArgumentException($"'{relative}' must be relative to the test-data folder.", nameof(relative));
        }
        return relative.Replace('/', Path.DirectorySeparatorChar).Replace('\\', Path.DirectorySeparatorChar);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ModelZoo.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException(
            $"No folder above {AppContext.BaseDirectory} holds ModelZoo.slnx; run the tests from a checkout of the repository.");
    }
}
