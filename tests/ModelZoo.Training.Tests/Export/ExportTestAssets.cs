namespace ModelZoo.Training.Tests.Export;

/// <summary>
/// Finds what the export tests run on: fetched photos (<c>&lt;repo&gt;/.cache/testdata</c> or <c>$ZOO_TESTDATA</c>), the shared
/// MobileNet v2 int8 classifier (<c>shared/testdata</c> beside or above the repository), this folder's fixtures, and
/// the shared model store (<c>&lt;repo&gt;/.cache/zoo-home</c>) for models pulled from real registries. Missing assets fail
/// the test with the command that provides them.
/// </summary>
internal static class ExportTestAssets
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ModelZoo.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No folder above {AppContext.BaseDirectory} holds ModelZoo.slnx; run the tests from a checkout.");
    });

    public static string RepoRoot => Root.Value;

    public static string Image(string relative)
    {
        var overridden = Environment.GetEnvironmentVariable("ZOO_TESTDATA");
        var root = string.IsNullOrWhiteSpace(overridden) ? Path.Combine(RepoRoot, ".cache", "testdata") : Path.GetFullPath(overridden);
        var path = Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Test image '{relative}' is missing at {path}; run scripts/fetch-test-assets.sh from the repository root.", path);
        }
        return path;
    }

    public static string MobileNetV2Int8
    {
        get
        {
            var relative = Path.Combine("shared", "testdata", "imagenet", "mobilenetv2-12-int8.onnx");
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                foreach (var candidate in new[] { Path.Combine(dir.FullName, relative), Path.Combine(dir.FullName, "..", relative) })
                {
                    if (File.Exists(candidate))
                    {
                        return Path.GetFullPath(candidate);
                    }
                }
            }
            throw new FileNotFoundException(
                $"shared/testdata/imagenet/mobilenetv2-12-int8.onnx was not found above {AppContext.BaseDirectory}; place the shared test data beside or above the repository (see scripts/fetch-test-assets.sh).");
        }
    }

    public static string Fixture(string name)
    {
        var path = Path.Combine(RepoRoot, "tests", "ModelZoo.Training.Tests", "Export", "Fixtures", name);
        Assert.True(File.Exists(path), $"fixture {path} is missing; regenerate it with Fixtures/make-fixtures.py");
        return path;
    }

    /// <summary>Settings for the store shared by all test runs on this checkout; registries are resolved as the CLI resolves them.</summary>
    public static ZooSettings StoreSettings =>
        ZooSettings.FromEnvironment() with { Home = Path.Combine(RepoRoot, ".cache", "zoo-home"), Offline = false };
}
