using System.ComponentModel;
using ModelZoo.Cli.Infrastructure;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo pull</c>: download and verify models into the store.</summary>
public sealed class PullCommand(ZooContext context) : AsyncCommand<PullCommand.Settings>
{
    /// <summary>Options of <c>zoo pull</c>.</summary>
    public sealed class Settings : ZooCommandSettings
    {
        /// <summary>Handles to pull.</summary>
        [CommandArgument(0, "<HANDLE>")]
        [Description("One or more model handles.")]
        public string[] Handles { get; init; } = [];
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var cards = settings.Handles.Select(context.Catalog.Get).ToList();
        var models = await PullProgressDisplay.PullAsync(context, cards, cancellationToken).ConfigureAwait(false);
        foreach (var model in models)
        {
            Formatting.WriteWhole(context.Console, $"[green]ok[/] {Markup.Escape(model.Card.Handle)} [grey]→ {Markup.Escape(Path.GetDirectoryName(model.ModelPath) ?? model.ModelPath)}[/]");
        }
        return 0;
    }
}
