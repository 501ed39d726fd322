using System.Text.RegularExpressions;

namespace ModelZoo.Batch;

/// <summary>
/// The broker objects of a job: a durable quorum queue <c>zoo.batch.JOB</c> for the work (it counts deliveries, so a
/// message that keeps killing its workers is dead-lettered by the broker too) and a durable queue
/// <c>zoo.batch.JOB.dead</c> for poison messages, each with an <c>x-zoo-reason</c> header.
/// </summary>
public static partial class BatchQueues
{
    /// <summary>Header naming why a message was dead-lettered.</summary>
    public const string ReasonHeader = "x-zoo-reason";

    /// <summary>Header with the number of attempts a message may take before it is dead-lettered.</summary>
    public const string MaxAttemptsHeader = "x-zoo-max-attempts";

    /// <summary>Header the broker sets on a quorum queue's redelivered message: earlier deliveries that were returned.</summary>
    public const string DeliveryCountHeader = "x-delivery-count";

    /// <summary>The work queue of a job.</summary>
    public static string Work(string job) => "zoo.batch." + CheckJob(job);

    /// <summary>The dead-letter queue of a job.</summary>
    public static string Dead(string job) => Work(job) + ".dead";

    /// <summary>Checks a job name: 1 to 64 characters of <c>[a-z0-9._-]</c>, starting with a letter or digit.</summary>
    /// <exception cref="ZooUsageException">The name is not usable.</exception>
    public static string CheckJob(string? job) => job is not null && JobPattern().IsMatch(job)
        ? job
        : throw new ZooUsageException($"BatchQueues.CheckJob job must be 1 to 64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit; got '{job}'.");

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex JobPattern();
}
