namespace ModelZoo.Cli.Infrastructure;

/// <summary>Runs a per-image loop under a progress bar on the status console.</summary>
public static class ImageProgress
{
    /// <summary>Runs <paramref name="body"/>, which calls the given tick once per finished image. On a console that is
    /// not a terminal the bar becomes a few plain lines (<see cref="PlainProgress"/>).</summary>
    public static async Task RunAsync(ZooContext context, string description, int total, Func<Action, Task> body)
    {
        if (PlainProgress.IsNeeded(context.Status))
        {
            var plain = new PlainProgress(context.Status, description, total, n => n == 1 ? "1 image" : $"{n} images");
            var done = 0L;
            await body(() => plain.Report(Interlocked.Increment(ref done))).ConfigureAwait(false);
            plain.Done();
            return;
        }
        await context.Status.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async progressContext =>
            {
                var task = progressContext.AddTask(description, maxValue: total);
                await body(() => task.Increment(1)).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }
}
