using ModelZoo.Batch;

namespace ModelZoo.Cli.Commands.Batch;

/// <summary><c>zoo batch submit</c>: enqueue one persistent message per image (or small group), with its path and SHA-256.</summary>
public sealed class BatchSubmitCommand(ZooContext context) : AsyncCommand<BatchSubmitCommand.Settings>
{
    /// <summary>Options.</summary>
    public sealed class Settings : BatchSettings
    {
        /// <summary>Model handle.</summary>
        [CommandOption("--model <HANDLE>"), Description("Catalog handle of the model every worker runs.")]
        public string Model { get; init; } = "";

        /// <summary>Task.</summary>
        [CommandOption("--task <TASK>"), Description("embed, classify or detect."), TypeConverter(typeof(ChoiceConverter<BatchTask>))]
        public BatchTask? Task { get; init; }

        /// <summary>Images per message.</summary>
        [CommandOption("--group <N>"), Description("Images per message (default 1)."), DefaultValue(1)]
        public int Group { get; init; } = 1;

        /// <summary>Attempts before the dead-letter queue.</summary>
        [CommandOption("--attempts <N>"), Description("Deliveries a message may take before it goes to the dead-letter queue (default 3)."), DefaultValue(3)]
        public int Attempts { get; init; } = 3;

        /// <summary>Inputs.</summary>
        [CommandArgument(0, "<INPUT>"), Description("Image files or folders; every worker must see them at the same full path.")]
        public string[] Inputs { get; init; } = [];
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var task = ChoiceConverter<BatchTask>.Required(settings.Task, "--task");
        if (LocalModelCards.IsModelFile(settings.Model))
        {
            // Workers open the model by handle from their own catalog; a path on this machine means nothing to them.
            throw new ZooUsageException($"'{settings.Model}' is a model file, but workers load the model by handle; register it on every worker machine with `zoo card new {settings.Model} --handle local/NAME` (the file at the same path there) and submit local/NAME, or run it here with `zoo batch run`.");
        }
        var card = context.Catalog.Get(settings.Model);
        BatchInference.CheckTask(card, task);
        var items = ImagePaths.Expand(settings.Inputs).Select(BatchItem.ForFile).ToList();
        await using var broker = await BatchBroker.ConnectAsync(settings.BrokerUri, "zoo batch submit", cancellationToken).ConfigureAwait(false);
        var messages = await broker.SubmitAsync(settings.Job, card.Handle, task, items, settings.Group, settings.Attempts, cancellationToken)
            .ConfigureAwait(false);
        context.Console.MarkupLine($"submitted {items.Count} image(s) in {messages} message(s) to job [bold]{Markup.Escape(settings.Job)}[/] at {Markup.Escape(broker.Endpoint)}");
        return 0;
    }
}
