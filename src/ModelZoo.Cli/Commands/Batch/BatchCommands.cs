namespace ModelZoo.Cli.Commands.Batch;

/// <summary>The <c>zoo batch</c> branch: jobs on RabbitMQ (submit, work, status, collect) and static shards (run).</summary>
public static class BatchCommands
{
    /// <summary>Adds the batch commands to their branch.</summary>
    public static void Register(IConfigurator<CommandSettings> branch)
    {
        ArgumentNullException.ThrowIfNull(branch);
        branch.SetDescription("Batch inference over many workers: RabbitMQ jobs or static shards.");
        branch.AddCommand<BatchSubmitCommand>("submit").WithDescription("Enqueue images of a job (one persistent message each, with its SHA-256).")
            .WithExample("batch", "submit", "--broker", "amqp://guest:guest@127.0.0.1:5672/", "--job", "photos", "--model", "imagenet/resnet18/feature_vector", "--task", "embed", "photos/");
        branch.AddCommand<BatchWorkCommand>("work").WithDescription("Work on a job: results to DIR, acknowledged after a durable write.")
            .WithExample("batch", "work", "--broker", "amqp://guest:guest@127.0.0.1:5672/", "--job", "photos", "--out", "results/", "--until-empty");
        branch.AddCommand<BatchStatusCommand>("status").WithDescription("Pending, failed and done counts of a job.");
        branch.AddCommand<BatchCollectCommand>("collect").WithDescription("Merge results, each input once; list missing inputs.")
            .WithExample("batch", "collect", "--out", "results/", "--into", "photos.jsonl", "photos/");
        branch.AddCommand<BatchRunCommand>("run").WithDescription("Run one static shard without a broker (Kubernetes Indexed Jobs); resumable.")
            .WithExample("batch", "run", "imagenet/resnet18/feature_vector", "photos/", "--task", "embed", "--shard", "0/4", "--out", "results/");
    }
}
