namespace ModelZoo.Tests.Onnx;

/// <summary>Finds the shared ONNX test models by walking up from the test assembly to a folder holding <c>shared/testdata</c>.</summary>
internal static class OnnxTestAssets
{
    public static string MobileNetV2Int8 => Find(Path.Combine("imagenet", "mobilenetv2-12-int8.onnx"));

    private static string Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "testdata", relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException(
            $"Test asset shared/testdata/{relative} was not found above {AppContext.BaseDirectory}; " +
            "run scripts/fetch-test-assets.sh to fetch the test assets.");
    }
}
