using ModelZoo.Batch;

namespace ModelZoo.Cli.Commands.Batch;

/// <summary><c>zoo batch run</c>: one static shard of the inputs without a broker (a Kubernetes Indexed Job's pod), resumable.</summary>
public sealed class BatchRunCommand(ZooContext context) : AsyncCommand<BatchRunCommand.Settings>
{
    /// <summary>Options.</summary>
    public sealed class Settings : ImageTaskSettings
    {
        /// <summary>Task.</summary>
        [CommandOption("--task <TASK>"), Description("embed, classify or detect."), TypeConverter(typeof(ChoiceConverter<BatchTask>))]
        public BatchTask? Task { get; init; }

        /// <summary>Output folder.</summary>
        [CommandOption("--out <DIR>"), Description("Folder for the shard's results (shard-I-of-N.jsonl).")]
        public string Out { get; init; } = "";

        /// <summary>The shard.</summary>
        [CommandOption("--shard <I/N>"), Description("This shard and the number of shards, e.g. 0/4.")]
        public string? Shard { get; init; }

        /// <summary>Number of shards when the index comes from JOB_COMPLETION_INDEX.</summary>
        [CommandOption("--shards <N>"), Description("Number of shards; the index is read from JOB_COMPLETION_INDEX (Kubernetes Indexed Jobs).")]
        public int? Shards { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() => OptionRules.FirstError(base.Validate,
            (string.IsNullOrWhiteSpace(Out), "--out DIR is required."),
            ((Shard is null) == (Shards is null), "give either --shard I/N or --shards N (with JOB_COMPLETION_INDEX set)."));
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var shard = settings.Shard is { } text ? BatchShard.Parse(text) : FromEnvironment(settings.Shards!.Value);
        var task = ChoiceConverter<BatchTask>.Required(settings.Task, "--task");
        var card = settings.ResolveCard(context, task.ModelTask());
        var paths = ImagePaths.Expand(settings.Paths);
        context.Status.MarkupLine($"shard {shard.Index}/{shard.Count}: writing {Markup.Escape(shard.ResultsPath(Path.GetFullPath(settings.Out)))}");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var (done, skipped, failed) = await shard.RunAsync(card, task, context.Store, paths, Path.GetFullPath(settings.Out), settings.ToOptions(),
            null, cancellationToken).ConfigureAwait(false);
        foreach (var failure in failed)
        {
            context.Status.MarkupLine($"[yellow]failed[/] {Markup.Escape(failure)}");
        }
        context.Console.MarkupLine($"shard {shard.Index}/{shard.Count}: {done} done, {skipped} already done, {failed.Count} failed in {started.Elapsed.TotalSeconds:0.0} s");
        return failed.Count > 0 ? 1 : 0;
    }

    private static BatchShard FromEnvironment(int count)
    {
        var index = Environment.GetEnvironmentVariable("JOB_COMPLETION_INDEX");
        if (!int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i))
        {
            throw new ZooUsageException($"--shards needs JOB_COMPLETION_INDEX (set by a Kubernetes Indexed Job), but it is '{index}'; pass --shard I/N instead.");
        }
        return BatchShard.Create(i, count);
    }
}
