using Spectre.Console;

namespace ModelZoo.Cli.Infrastructure;

/// <summary>Runs a per-image loop under a progress bar on the status console.</summary>
public static class ImageProgress
{
    /// <summary>Runs <paramref name="body"/>, which calls the given tick once per finished image.</summary>
    public static Task RunAsync(ZooContext context, string description, int total, Func<Action, Task> body) =>
        context.Status.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async progressContext =>
            {
                var task = progressContext.AddTask(description, maxValue: total);
                await body(() => task.Increment(1)).ConfigureAwait(false);
            });
}
