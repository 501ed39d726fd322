namespace ModelZoo.Batch;

/// <summary>What a worker has done so far.</summary>
/// <param name="Done">Images whose results are durably written.</param>
/// <param name="DeadLettered">Messages moved to the dead-letter queue.</param>
/// <param name="Requeued">Messages given back for another attempt.</param>
/// <param name="Elapsed">Time since the worker started.</param>
public sealed record BatchWorkerProgress(long Done, long DeadLettered, long Requeued, TimeSpan Elapsed)
{
    /// <summary>Images written per second since the start.</summary>
    public double ImagesPerSecond => Elapsed.TotalSeconds > 0 ? Done / Elapsed.TotalSeconds : 0;
}
