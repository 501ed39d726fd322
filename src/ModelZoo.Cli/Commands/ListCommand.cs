namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo list</c>: the catalog as a table or JSON.</summary>
public sealed class ListCommand(ZooContext context) : Command<ListCommand.Settings>
{
    /// <summary>Options of <c>zoo list</c>.</summary>
    public sealed class Settings : ZooCommandSettings
    {
        /// <summary>Words to look for in handles, titles and tags.</summary>
        [CommandArgument(0, "[SEARCH]"), Description("Only models whose handle, title or tags contain this text.")]
        public string? Search { get; init; }

        /// <summary>Task filter.</summary>
        [CommandOption("-t|--task <TASK>"), Description("Only models for this task, e.g. image-classification, image-feature-vector, object-detection.")]
        public string? Task { get; init; }

        /// <summary>Licence filter.</summary>
        [CommandOption("-l|--license <SPDX>"), Description("Only models under this licence (SPDX id, e.g. MIT, Apache-2.0).")]
        public string? License { get; init; }

        /// <summary>Only cached models.</summary>
        [CommandOption("--cached"), Description("Only models already in the local store.")]
        public bool Cached { get; init; }

        /// <summary>JSON output.</summary>
        [CommandOption("--json"), Description("Print an array of model cards as JSON.")]
        public bool Json { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var task = settings.Task is null ? (ModelTask?)null : Formatting.ParseTask(settings.Task);
        var cards = context.Catalog.Find(task, settings.License, settings.Search)
            .Where(c => !settings.Cached || context.Store.IsCached(c))
            .OrderBy(c => c.Handle, StringComparer.Ordinal)
            .ToList();
        if (settings.Json)
        {
            context.Output.Write('[');
            for (var i = 0; i < cards.Count; i++)
            {
                context.Output.Write(i == 0 ? "\n" : ",\n");
                context.Output.Write(ModelCardJson.Serialize(cards[i]));
            }
            context.Output.WriteLine(cards.Count == 0 ? "]" : "\n]");
            return 0;
        }
        var table = new TextTable().Column("Handle").Column("Task").Column("From").Column("Licence").Column("Size", right: true).Column("Cached");
        foreach (var card in cards)
        {
            var restricted = Formatting.IsRestricted(card.License);
            var cached = context.Store.IsCached(card);
            table.Row(
                (card.Handle, null),
                (Formatting.TaskName(card.Task), null),
                (Formatting.Origin(card), null),
                (restricted ? card.License.Spdx + " !" : card.License.Spdx, restricted ? new Style(Color.Red, decoration: Decoration.Bold) : (Style?)null),
                (Formatting.Size(card.TotalSize), null),
                (cached ? "yes" : "no", cached ? new Style(Color.Green) : new Style(Color.Grey)));
        }
        table.Write(context.Console);
        context.Console.MarkupLine(cards.Count == 0
            ? "[yellow]No models match.[/] Run [bold]zoo list[/] without filters to see them all."
            : $"{cards.Count} model(s). [grey]'!' marks licences with restrictions: run[/] [bold]zoo info HANDLE[/] [grey]before use. From: where the files come from (npm, nuget, https, hf, file); cached models work offline.[/]");
        return 0;
    }
}
