namespace ModelZoo.Tests;

public class TestAssetsTests
{
    [Fact]
    public void Repo_root_holds_the_solution_and_the_fetch_script()
    {
        Assert.True(File.Exists(Path.Combine(TestAssets.RepoRoot, "ModelZoo.slnx")));
        Assert.True(File.Exists(Path.Combine(TestAssets.RepoRoot, "scripts", "fetch-test-assets.sh")));
    }

    [Fact]
    public void Fetched_images_are_found_and_missing_ones_name_the_script()
    {
        Assert.EndsWith(Path.Combine("darknet", "dog.jpg"), TestAssets.Image("darknet/dog.jpg"));
        var e = Assert.Throws<FileNotFoundException>(() => TestAssets.Image("darknet/no-such.jpg"));
        Assert.Contains("scripts/fetch-test-assets.sh", e.Message);
    }

    [Fact]
    public void Shared_test_data_is_found_above_the_test_assembly()
    {
        var model = TestAssets.SharedTestData("imagenet/mobilenetv2-12-int8.onnx");
        Assert.True(new FileInfo(model).Length > 1_000_000);
        var e = Assert.Throws<FileNotFoundException>(() => TestAssets.SharedTestData("imagenet/no-such.onnx"));
        Assert.Contains("shared/testdata", e.Message);
    }
}
