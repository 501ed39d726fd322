namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo pull</c>: download and verify models into the store.</summary>
public sealed class PullCommand(ZooContext context) : AsyncCommand<HandlesSettings>
{
    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, HandlesSettings settings, CancellationToken cancellationToken)
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
