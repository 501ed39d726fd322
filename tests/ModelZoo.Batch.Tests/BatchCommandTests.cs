using ModelZoo.Batch.Tests.Infrastructure;

namespace ModelZoo.Batch.Tests;

/// <summary>The <c>zoo batch</c> commands' help and usage errors, from the built CLI.</summary>
public sealed class BatchCommandTests
{
    [Theory]
    [InlineData("submit")]
    [InlineData("work")]
    [InlineData("status")]
    [InlineData("collect")]
    [InlineData("run")]
    public async Task Every_batch_command_prints_its_help(string command)
    {
        var (code, output) = await ZooProcess.RunAsync("batch", command, "--help");
        Assert.True(code == 0, output);
        Assert.Contains("USAGE", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_job_names_shards_and_missing_options_are_usage_errors_with_exit_code_2()
    {
        var badJob = await ZooProcess.RunAsync("batch", "work", "--broker", "amqp://127.0.0.1:1/", "--job", "Bad Name", "--out", "x");
        Assert.Equal(2, badJob.ExitCode);
        Assert.Contains("--job must be", badJob.Output, StringComparison.Ordinal);
        var badShard = await ZooProcess.RunAsync("batch", "run", "imagenet/resnet18/feature_vector", ".", "--task", "embed", "--shard", "3/3", "--out", "x");
        Assert.Equal(2, badShard.ExitCode);
        Assert.Contains("shard 3 of 3 does not exist", badShard.Output, StringComparison.Ordinal);
        var noOut = await ZooProcess.RunAsync("batch", "work", "--broker", "amqp://127.0.0.1:1/", "--job", "j");
        Assert.Equal(2, noOut.ExitCode);
        Assert.Contains("--out DIR is required", noOut.Output, StringComparison.Ordinal);
        var file = await ZooProcess.RunAsync("batch", "submit", "--broker", "amqp://127.0.0.1:1/", "--job", "j", "--model", "my/model.onnx", "--task", "classify", ".");
        Assert.Equal(2, file.ExitCode);
        Assert.Contains("workers load the model by handle", file.Output, StringComparison.Ordinal);
    }
}
