using ModelZoo.Runtime;
using ModelZoo.Tests.Infrastructure;
using ModelZoo.Tests.Quantization;

namespace ModelZoo.Cli.Tests.Commands;

/// <summary><c>--device</c> and <c>ZOO_DEVICE</c>: on a machine without the CUDA provider, asking for CUDA fails with the
/// execution-provider error before anything runs, and never falls back to the CPU.</summary>
public sealed class DeviceOptionTests
{
    private const string ResNet = "imagenet/resnet18/feature_vector";

    [Fact]
    public void Device_cuda_without_the_gpu_runtime_fails_clearly_and_does_not_fall_back()
    {
        var photo = TestAssets.Image(QuantizationImages.HeldOutPhotos[0]);
        var result = CliRunner.Run(SharedStore.Settings, "embed", ResNet, photo, "--device", "cuda");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("CUDA was requested but this ONNX Runtime build has no CUDA execution provider", result.AllText);
        Assert.Contains("use --device cpu", result.AllText);
        Assert.DoesNotContain("\"vector\"", result.Output);
    }

    [Fact]
    public void Zoo_device_cuda_is_the_default_and_the_flag_overrides_it()
    {
        var photo = TestAssets.Image(QuantizationImages.HeldOutPhotos[0]);
        var cuda = SharedStore.Settings with { Device = ExecutionProvider.Cuda };

        var fromVariable = CliRunner.Run(cuda, "embed", ResNet, photo);
        Assert.Equal(1, fromVariable.ExitCode);
        Assert.Contains("CUDA was requested", fromVariable.AllText);

        var overridden = CliRunner.Run(cuda, "embed", ResNet, photo, "--device", "cpu");
        Assert.True(overridden.ExitCode == 0, overridden.AllText);
        Assert.Contains("\"vector\"", overridden.Output);
    }

    [Fact]
    public void Zoo_device_is_read_case_insensitively_and_an_unknown_name_is_a_usage_error()
    {
        var cwd = Path.GetTempPath();
        Assert.Equal(ExecutionProvider.Cuda, ZooSettings.FromVariables(new Dictionary<string, string> { ["ZOO_DEVICE"] = "CUDA" }, cwd).Device);
        Assert.Equal(ExecutionProvider.Cpu, ZooSettings.FromVariables(new Dictionary<string, string>(), cwd).Device);
        var ex = Assert.Throws<ZooUsageException>(() => ZooSettings.FromVariables(new Dictionary<string, string> { ["ZOO_DEVICE"] = "gpu" }, cwd));
        Assert.Equal("ZOO_DEVICE 'gpu' is not a device; use cpu or cuda.", ex.Message);
    }

    [Fact]
    public void An_unknown_device_flag_is_a_usage_error()
    {
        var result = CliRunner.Run(SharedStore.Settings, "embed", ResNet, TestAssets.Image(QuantizationImages.HeldOutPhotos[0]), "--device", "tpu");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--device must be cpu or cuda", result.AllText);
    }
}
