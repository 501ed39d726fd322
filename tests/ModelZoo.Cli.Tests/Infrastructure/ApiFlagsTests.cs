using ModelZoo.Batch;
using ModelZoo.Catalog;
using ModelZoo.Cli.Infrastructure;
using ModelZoo.Onnx;
using ModelZoo.Runtime;
using ModelZoo.Tasks;
using ModelZoo.Training.Heads;
using ModelZoo.Training.Transfer;

namespace ModelZoo.Cli.Tests.Infrastructure;

/// <summary>Library messages name API members; the CLI prints its flags instead.</summary>
public sealed class ApiFlagsTests
{
    [Fact]
    public void Members_become_flags_and_other_text_stays()
    {
        Assert.Equal("batch size must be at least 1, got 0; pass --batch 1 or more.",
            ApiFlags.ToFlags("batch size must be at least 1, got 0; pass ImageTaskOptions.BatchSize 1 or more."));
        Assert.Equal("--group and --attempts must be at least 1.",
            ApiFlags.ToFlags("BatchBroker.SubmitAsync groupSize and BatchBroker.SubmitAsync attempts must be at least 1."));
        Assert.Equal("nothing to map here.", ApiFlags.ToFlags("nothing to map here."));
    }

    [Fact]
    public void Batch_library_messages_name_no_flag_and_the_cli_prints_its_flags()
    {
        var job = Assert.Throws<ZooUsageException>(() => BatchQueues.CheckJob("Bad Name"));
        var shard = Assert.Throws<ZooUsageException>(() => BatchShard.Parse("4/4x"));
        var task = Assert.Throws<ZooUsageException>(() => BatchTasks.Parse("segment"));
        foreach (var message in new[] { job.Message, shard.Message, task.Message })
        {
            Assert.DoesNotContain("--", message, StringComparison.Ordinal);
        }
        Assert.StartsWith("--job must be 1 to 64 characters", ApiFlags.ToFlags(job.Message), StringComparison.Ordinal);
        Assert.StartsWith("--shard must be I/N", ApiFlags.ToFlags(shard.Message), StringComparison.Ordinal);
        Assert.StartsWith("--task must be embed, classify or detect", ApiFlags.ToFlags(task.Message), StringComparison.Ordinal);
        Assert.Equal("the broker has no job 'j'; submit it first with `zoo batch submit`.",
            ApiFlags.ToFlags("the broker has no job 'j'; submit it first with BatchBroker.SubmitAsync."));
    }

    [Fact]
    public void An_assignment_becomes_the_flag_and_its_value_and_a_longer_member_wins()
    {
        Assert.Equal("--unfreeze 0 is out of range; e.g. --unfreeze 2.",
            ApiFlags.ToFlags("TransferOptions.Unfreeze = 0 is out of range; e.g. TransferOptions.Unfreeze = 2."));
        Assert.Equal("--unfreeze-from is empty; pass --force to replace it.",
            ApiFlags.ToFlags("TransferOptions.UnfreezeFrom is empty; pass TransferOptions.Overwrite = true to replace it."));
    }

    [Fact]
    public void Every_member_in_the_table_exists_in_the_library()
    {
        Type[] types = [typeof(ImageTaskOptions), typeof(ClassificationOptions), typeof(ModelCatalog), typeof(BatchWorkerOptions), typeof(BatchBroker),
            typeof(BatchQueues), typeof(BatchShard), typeof(BatchTasks), typeof(BatchCollector), typeof(ModelZoo.Import.Darknet.DarknetImportOptions),
            typeof(TransferOptions), typeof(HeadTrainingOptions), typeof(SessionSettings), typeof(HeadlessCutter)];
        foreach (var (member, _) in ApiFlags.Table)
        {
            var typeName = member[..member.IndexOf('.', StringComparison.Ordinal)];
            var memberName = member[(typeName.Length + 1)..].Split(' ')[0];
            var type = Assert.Single(types, t => t.Name == typeName);
            Assert.True(type.GetMember(memberName).Length > 0, $"{typeName} has no member {memberName}");
        }
    }

    [Fact]
    public void A_library_error_is_printed_with_the_flag()
    {
        using var home = new TempHome();
        var result = CliRunner.Run(home.Settings(offline: true), "batch", "work", "--broker", "amqp://guest:guest@127.0.0.1:1/",
            "--job", "j", "--out", home.Path, "--worker-id", "bad id");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--worker-id must be 1 to 100 characters", result.AllText);
        Assert.DoesNotContain("BatchWorkerOptions", result.AllText);
    }
}
