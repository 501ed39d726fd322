using ModelZoo.Tasks;

namespace ModelZoo.Batch;

/// <summary>How a <see cref="BatchWorker"/> runs.</summary>
public sealed record BatchWorkerOptions
{
    /// <summary>The job to work on.</summary>
    public required string Job { get; init; }

    /// <summary>The folder results are written to (<c>worker-ID.jsonl</c>); shared by the job's workers or one per machine.</summary>
    public required string OutputFolder { get; init; }

    /// <summary>This worker's name: its results file and the <c>worker</c> field of its results. Unique per running worker;
    /// a restarted worker may reuse its name and appends to its own file.</summary>
    public required string WorkerId { get; init; }

    /// <summary>Most unacknowledged messages the broker hands this worker at once (and the most it runs in one go).</summary>
    public int Prefetch { get; init; } = 16;

    /// <summary>Stop once the work queue has no ready message and nothing arrived for <see cref="IdleTime"/>. Messages
    /// other workers hold unacknowledged are not waited for.</summary>
    public bool UntilEmpty { get; init; }

    /// <summary>How long an empty queue must stay empty before an <see cref="UntilEmpty"/> worker stops.</summary>
    public TimeSpan IdleTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long to keep reconnecting after the broker connection is lost mid-run.</summary>
    public TimeSpan ReconnectFor { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Pipeline options (ONNX Runtime threads, batch size, decode limits).</summary>
    public ImageTaskOptions Inference { get; init; } = new();
}
