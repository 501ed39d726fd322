namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo classify</c>: top-K classes of images.</summary>
public sealed class ClassifyCommand(ZooContext context) : AsyncCommand<ClassifyCommand.Settings>
{
    /// <summary>Options of <c>zoo classify</c>.</summary>
    public sealed class Settings : ImageTaskSettings
    {
        /// <summary>How many classes to show.</summary>
        [CommandOption("-k|--top <K>"), Description("Number of classes per image (default 5)."), DefaultValue(5)]
        public int Top { get; init; } = 5;

        /// <summary>JSON output.</summary>
        [CommandOption("--json"), Description("Print [[{\"image\", \"predictions\": [[{\"label\", \"index\", \"score\"}]]}]].")]
        public bool Json { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() => OptionRules.FirstError(base.Validate,
            (Top < 1, "--top must be at least 1."));
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var descriptor = TaskRegistry.Default.Get<IReadOnlyList<Prediction>, ClassificationOptions>(ModelZoo.Catalog.ModelTask.ImageClassification);
        var card = settings.ResolveCard(context, descriptor.Task);
        var paths = ImagePaths.Expand(settings.Paths, context.Status);
        var model = (await PullProgressDisplay.PullAsync(context, [card], cancellationToken).ConfigureAwait(false))[0];
        using var classifier = descriptor.Open(model, settings.ToOptions());
        var options = descriptor.ParseOptions(TaskOptionValues.Of(top: settings.Top));
        var results = await VisionRun.RunAsync(context, descriptor, classifier, paths, options, null, cancellationToken, "classifying").ConfigureAwait(false);
        VisionRun.Report(context, descriptor, results, settings.Json, settings.Verbose ? classifier.Timings : null);
        return results.Count == 0 ? 1 : 0;
    }
}
