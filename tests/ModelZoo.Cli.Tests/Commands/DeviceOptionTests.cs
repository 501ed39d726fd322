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
        AssertRefusedCuda(result);
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
    public void Train_and_quantize_with_device_cuda_fail_clearly_and_leave_nothing_behind()
    {
        using var home = new TempHome();
        var data = TuxpaintDataset.Create(Path.Combine(home.Path, "tux"), perClass: 2, classes: 2);
        var output = Path.Combine(home.Path, "run");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var train = CliRunner.Run(SharedStore.Settings, "train", "--base", ResNet, "--data", data, "--out", output,
            "--name", "local/device-cuda-train-" + suffix, "--device", "cuda");
        AssertRefusedCuda(train);
        Assert.False(File.Exists(Path.Combine(output, "model.onnx")), "a model was written although the device could not be used");
        Assert.DoesNotContain(ModelZoo.Catalog.ModelCatalog.Load(SharedStore.Settings).Cards, card => card.Handle == "local/device-cuda-train-" + suffix);

        var calibration = QuantizationImages.CreateCalibrationFolder(Path.Combine(home.Path, "calibration"));
        var quantize = CliRunner.Run(SharedStore.Settings, "quantize", ResNet, "--calibration", calibration,
            "--name", "local/device-cuda-int8-" + suffix, "--device", "cuda");
        AssertRefusedCuda(quantize);
        Assert.DoesNotContain(ModelZoo.Catalog.ModelCatalog.Load(SharedStore.Settings).Cards, card => card.Handle == "local/device-cuda-int8-" + suffix);
    }

    [Fact]
    public async Task Serve_with_device_cuda_fails_at_start_instead_of_serving_without_models()
    {
        using var home = new TempHome();
        var run = Task.Run(() => CliRunner.Run(home.Settings(offline: true), "serve", "--port", "0", "--device", "cuda"));
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(1)));
        Assert.True(finished == run, "zoo serve --device cuda kept running on a machine without the CUDA provider");
        var result = await run;
        AssertRefusedCuda(result);
        Assert.DoesNotContain("listening", result.AllText);
    }

    [Fact]
    public void Batch_work_with_device_cuda_fails_before_it_connects_to_the_broker()
    {
        using var home = new TempHome();
        // Port 1 has no broker: reaching it would fail with a connection error instead of the device error.
        var result = CliRunner.Run(home.Settings(offline: true), "batch", "work", "--broker", "amqp://127.0.0.1:1/", "--job", "j",
            "--out", Path.Combine(home.Path, "out"), "--device", "cuda");
        AssertRefusedCuda(result);
        Assert.DoesNotContain("broker", result.AllText, StringComparison.OrdinalIgnoreCase);
    }

    // Exit 1 with the execution-provider error in the CLI's words: the flag to use instead, not the API member.
    private static void AssertRefusedCuda(CliRunner.Result result)
    {
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("CUDA was requested but this ONNX Runtime build has no CUDA execution provider", result.AllText);
        Assert.Contains("use --device cpu", result.AllText);
        Assert.DoesNotContain("SessionSettings.Provider", result.AllText);
    }

    [Fact]
    public void An_unknown_device_flag_is_a_usage_error()
    {
        var result = CliRunner.Run(SharedStore.Settings, "embed", ResNet, TestAssets.Image(QuantizationImages.HeldOutPhotos[0]), "--device", "tpu");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--device must be cpu or cuda", result.AllText);
    }
}
