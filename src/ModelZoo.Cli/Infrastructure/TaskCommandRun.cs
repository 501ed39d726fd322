namespace ModelZoo.Cli.Infrastructure;

/// <summary>
/// What every image-task verb does, at the task's own types: resolve the card, pull it (and any companion models),
/// open the descriptor's pipeline, run the files, report them as the descriptor says.
/// </summary>
internal sealed class TaskCommandRun(ZooContext context, VisionTaskSettings settings, IReadOnlyList<string> companions, CancellationToken ct)
    : ITaskDescriptorVisitor<Task<int>>
{
    public Task<int> Visit<TResult, TOptions>(TaskDescriptor<TResult, TOptions> descriptor) where TOptions : class => RunAsync(descriptor);

    private async Task<int> RunAsync<TResult, TOptions>(TaskDescriptor<TResult, TOptions> descriptor) where TOptions : class
    {
        var card = settings.ResolveCard(context, descriptor.Task);
        var companionCards = (companions.Count > 0 ? companions : descriptor.DefaultCompanions).Select(context.Catalog.Get).ToList();
        var paths = ImagePaths.Expand(settings.Paths, context.Status);
        var models = await PullProgressDisplay.PullAsync(context, [card, .. companionCards], ct).ConfigureAwait(false);
        var options = descriptor.ParseOptions(TaskOptionValues.Of(settings.MinScore));
        using var pipeline = descriptor.Open(models[0], models.Skip(1).ToList(), settings.ToOptions());
        var results = await VisionRun.RunAsync(context, descriptor, pipeline, paths, options, settings.Save, ct).ConfigureAwait(false);
        VisionRun.Report(context, descriptor, results, settings.Json, settings.Verbose ? pipeline.Timings : null);
        return results.Count == 0 ? 1 : 0;
    }
}
