using ModelZoo.Batch;

namespace ModelZoo.Cli.Commands.Batch;

/// <summary><c>zoo batch work</c>: consume a job's messages, write results durably, acknowledge after the write.</summary>
public sealed class BatchWorkCommand(ZooContext context) : AsyncCommand<BatchWorkCommand.Settings>
{
    /// <summary>Options.</summary>
    public sealed class Settings : BatchSettings, IDeviceSettings
    {
        /// <summary>Output folder.</summary>
        [CommandOption("--out <DIR>"), Description("Folder for this worker's results (worker-ID.jsonl).")]
        public string Out { get; init; } = "";

        /// <summary>Stop when the queue is empty.</summary>
        [CommandOption("--until-empty"), Description("Exit once the queue has no ready message (messages other workers hold are not waited for).")]
        public bool UntilEmpty { get; init; }

        /// <summary>Prefetch.</summary>
        [CommandOption("--prefetch <N>"), Description("Most unacknowledged messages held at once (default 16)."), DefaultValue(16)]
        public int Prefetch { get; init; } = 16;

        /// <summary>Worker name.</summary>
        [CommandOption("--worker-id <NAME>"), Description("This worker's name (default HOST-PID); a restarted worker may reuse it.")]
        public string? WorkerId { get; init; }

        /// <summary>Threads.</summary>
        [CommandOption("--threads <N>"), Description("Threads for ONNX Runtime (default: all cores).")]
        public int? Threads { get; init; }

        /// <summary>Execution provider.</summary>
        [CommandOption("--device <DEVICE>"), Description("cpu or cuda (default: ZOO_DEVICE, else cpu); checked before the worker takes a message, never falls back."), TypeConverter(typeof(ChoiceConverter<Runtime.ExecutionProvider>))]
        public Runtime.ExecutionProvider? Device { get; set; }

        /// <inheritdoc />
        public override ValidationResult Validate() => OptionRules.FirstError(base.Validate,
            (string.IsNullOrWhiteSpace(Out), "--out DIR is required: the folder this worker writes its results to."),
            (Threads is < 0, "--threads must be 0 or more."));
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var session = new Runtime.SessionSettings { IntraOpThreads = settings.Threads ?? 0, Provider = settings.Device ?? Runtime.ExecutionProvider.Cpu };
        // A worker that cannot use its device must not take messages off the queue only to fail them.
        Runtime.ModelSession.RequireProvider(session);
        var id = settings.WorkerId ?? $"{Environment.MachineName}-{Environment.ProcessId}".ToLowerInvariant();
        var worker = new BatchWorker(context.Store, context.Catalog, new BatchWorkerOptions
        {
            Job = settings.Job,
            OutputFolder = Path.GetFullPath(settings.Out),
            WorkerId = id,
            Prefetch = settings.Prefetch,
            UntilEmpty = settings.UntilEmpty,
            Inference = new Tasks.ImageTaskOptions { Session = session },
        });
        context.Status.MarkupLine($"worker [bold]{Markup.Escape(id)}[/] on job {Markup.Escape(settings.Job)}, writing {Markup.Escape(worker.ResultsPath)}");
        var progress = new SyncProgress<BatchWorkerProgress>(p => context.Status.MarkupLine(
            $"worker {Markup.Escape(id)}: {p.Done} done, {p.Requeued} retried, {p.DeadLettered} dead-lettered, {p.ImagesPerSecond:0.0} images/s"));
        var final = await worker.RunAsync(settings.BrokerUri, progress, cancellationToken).ConfigureAwait(false);
        context.Console.MarkupLine($"worker {Markup.Escape(id)} finished: {final.Done} image(s) in {final.Elapsed.TotalSeconds:0.0} s ({final.ImagesPerSecond:0.0}/s), {final.DeadLettered} dead-lettered");
        return 0;
    }
}
