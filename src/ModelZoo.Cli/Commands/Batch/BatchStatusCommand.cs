using ModelZoo.Batch;

namespace ModelZoo.Cli.Commands.Batch;

/// <summary><c>zoo batch status</c>: pending and failed messages of a job, and (with --out) the images done.</summary>
public sealed class BatchStatusCommand(ZooContext context) : AsyncCommand<BatchStatusCommand.Settings>
{
    /// <summary>Options.</summary>
    public sealed class Settings : BatchSettings
    {
        /// <summary>Output folder to count results in.</summary>
        [CommandOption("--out <DIR>"), Description("The workers' output folder: also count the images done there (each input once).")]
        public string? Out { get; init; }

        /// <summary>List failures.</summary>
        [CommandOption("--failed"), Description("List the dead-lettered messages' images and reasons (up to 100).")]
        public bool Failed { get; init; }
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        await using var broker = await BatchBroker.ConnectAsync(settings.BrokerUri, "zoo batch status", cancellationToken).ConfigureAwait(false);
        var (pending, failed, consumers) = await broker.CountsAsync(settings.Job, cancellationToken).ConfigureAwait(false);
        var done = settings.Out is { } folder && Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.jsonl").SelectMany(BatchCollector.Done).Distinct().Count()
            : (int?)null;
        context.Output.WriteLine($"job {settings.Job}: pending {pending}, failed {failed}, workers {consumers}" + (done is { } d ? $", done {d}" : ""));
        if (settings.Failed)
        {
            foreach (var (message, reason) in await broker.PeekDeadAsync(settings.Job, 100, cancellationToken).ConfigureAwait(false))
            {
                // Worker reasons name the failing images themselves; the broker's own reasons do not.
                var paths = message is null ? "(unreadable message)" : string.Join(", ", message.Items.Select(i => i.Path));
                context.Output.WriteLine(reason.StartsWith("broker:", StringComparison.Ordinal) ? $"failed {paths}: {reason}" : $"failed {reason}");
            }
        }
        return 0;
    }
}
