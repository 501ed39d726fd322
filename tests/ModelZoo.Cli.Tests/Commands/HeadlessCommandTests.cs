using ModelZoo.Onnx;
using ModelZoo.Tests.Infrastructure;
using ModelZoo.Tests.Onnx;

namespace ModelZoo.Cli.Tests.Commands;

public sealed class HeadlessCommandTests
{
    [Fact]
    public void Headless_of_an_onnx_file_writes_the_cut_model_and_reports_tensor_and_size()
    {
        using var home = new TempHome();
        var output = Path.Combine(home.Path, "out", "mobilenet-headless.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);

        var result = CliRunner.Run(home.Settings(offline: true), "headless", TestAssets.SharedTestData("imagenet/mobilenetv2-12-int8.onnx"), "--out", output);

        Assert.True(result.ExitCode == 0, result.AllText);
        Assert.Contains("464_quantized", result.AllText);
        Assert.Contains("[batch, 1280]", result.AllText);
        var written = OnnxModel.Load(output);
        Assert.Equal("features: float[batch_size,1280]", Assert.Single(written.Outputs).ToString());
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(output)!, "*.tmp")); // atomic write left nothing behind
    }

    [Fact]
    public void Headless_with_at_cuts_at_the_named_tensor()
    {
        using var home = new TempHome();
        var output = Path.Combine(home.Path, "cut.onnx");

        var result = CliRunner.Run(home.Settings(offline: true), "headless", TestAssets.SharedTestData("imagenet/mobilenetv2-12-int8.onnx"), "--out", output, "--at", "472_quantized");

        Assert.True(result.ExitCode == 0, result.AllText);
        Assert.Contains("472_quantized", result.AllText);
        Assert.Equal(1280, Assert.Single(OnnxModel.Load(output).Outputs).Shape[1].Value);
    }

    [Fact]
    public void Headless_of_a_catalog_handle_pulls_it_and_joins_its_preprocessing_graph()
    {
        using var home = new TempHome();
        var output = Path.Combine(home.Path, "resnet-headless.onnx");

        var result = CliRunner.Run(SharedStore.Settings, "headless", "imagenet/resnet18/feature_vector", "--out", output);

        Assert.True(result.ExitCode == 0, result.AllText);
        Assert.Contains("Pooling395_Output_0", result.AllText);
        Assert.Contains("[batch, 512]", result.AllText);
        var written = OnnxModel.Load(output);
        Assert.Equal("OriginalInput", Assert.Single(written.Inputs).Name); // the package's preprocessing graph comes first
        Assert.Equal("features: float[batch,512]", Assert.Single(written.Outputs).ToString());

        // The cut says what it takes and gives, so it embeds alone exactly as the card does, with nothing assumed.
        var photo = TestAssets.Image("darknet/dog.jpg");
        var byCard = CliRunner.Run(SharedStore.Settings, "embed", "imagenet/resnet18/feature_vector", photo);
        var byCut = CliRunner.Run(SharedStore.Settings, "embed", output, photo);
        Assert.True(byCut.ExitCode == 0, byCut.AllText);
        Assert.DoesNotContain("assumed", byCut.AllText, StringComparison.Ordinal);
        Assert.Equal(Vector(byCard.Output), Vector(byCut.Output));
    }

    [Fact]
    public void Headless_of_a_copy_of_a_catalog_models_files_cuts_it_as_the_handle_does()
    {
        using var home = new TempHome();
        const string Handle = "imagenet/resnet18/feature_vector";
        var copy = HumanVisionModels.CopyFiles(Handle, Path.Combine(home.Path, "resnet"));
        var byHandle = Path.Combine(home.Path, "by-handle.onnx");
        var byFile = Path.Combine(home.Path, "by-file.onnx");

        var fromHandle = CliRunner.Run(SharedStore.Settings, "headless", Handle, "--out", byHandle);
        // A fresh offline home: the card's files come from the copies.
        var fromFile = CliRunner.Run(home.Settings(offline: true), "headless", copy, "--out", byFile);

        Assert.True(fromHandle.ExitCode == 0, fromHandle.AllText);
        Assert.True(fromFile.ExitCode == 0, fromFile.AllText);
        Assert.Contains($"is the file of {Handle}", System.Text.RegularExpressions.Regex.Replace(fromFile.Status, @"\s+", " "), StringComparison.Ordinal);
        Assert.Contains("declared by the card", fromFile.Console, StringComparison.Ordinal);
        Assert.Equal("OriginalInput", Assert.Single(OnnxModel.Load(byFile).Inputs).Name);
        var photo = TestAssets.Image("darknet/dog.jpg");
        var expected = CliRunner.Run(SharedStore.Settings, "embed", byHandle, photo);
        var actual = CliRunner.Run(home.Settings(offline: true), "embed", byFile, photo);
        Assert.True(actual.ExitCode == 0, actual.AllText);
        Assert.DoesNotContain("assumed", actual.AllText, StringComparison.Ordinal);
        Assert.Equal(Vector(expected.Output), Vector(actual.Output));
    }

    private static float[] Vector(string json)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return doc.RootElement[0].GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()).ToArray();
    }

    [Fact]
    public void Headless_errors_are_one_line_with_what_to_do()
    {
        using var home = new TempHome();
        var settings = home.Settings(offline: true);

        var noOut = CliRunner.Run(settings, "headless", TestAssets.SharedTestData("imagenet/mobilenetv2-12-int8.onnx"));
        Assert.Equal(2, noOut.ExitCode);
        Assert.Contains("--out", noOut.AllText);

        var missing = CliRunner.Run(settings, "headless", Path.Combine(home.Path, "nope.onnx"), "--out", Path.Combine(home.Path, "x.onnx"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("does not exist", missing.AllText);

        var badTensor = CliRunner.Run(settings, "headless", TestAssets.SharedTestData("imagenet/mobilenetv2-12-int8.onnx"), "--out", Path.Combine(home.Path, "x.onnx"), "--at", "no_such_tensor");
        Assert.Equal(1, badTensor.ExitCode);
        Assert.Contains("no_such_tensor", badTensor.AllText);
        Assert.Contains("as the cut point (--at)", badTensor.AllText);
        Assert.DoesNotContain("HeadlessCutter", badTensor.AllText);
        Assert.DoesNotContain("   at ", badTensor.Status);
        Assert.False(File.Exists(Path.Combine(home.Path, "x.onnx")));
    }
}
