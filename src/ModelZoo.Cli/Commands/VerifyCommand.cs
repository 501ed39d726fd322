namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo verify</c>: re-hash cached files against their cards.</summary>
public sealed class VerifyCommand(ZooContext context) : AsyncCommand<VerifyCommand.Settings>
{
    /// <summary>Options of <c>zoo verify</c>.</summary>
    public sealed class Settings : ZooCommandSettings
    {
        /// <summary>Handles to verify; all cached models when empty.</summary>
        [CommandArgument(0, "[HANDLE]"), Description("Models to verify (default: every cached model).")]
        public string[] Handles { get; init; } = [];
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var cards = settings.Handles.Length > 0
            ? settings.Handles.Select(context.Catalog.Get).ToList()
            : context.Catalog.Cards.Where(context.Store.IsCached).ToList();
        if (cards.Count == 0)
        {
            context.Console.MarkupLine("[yellow]No cached models to verify.[/] Pull one with [bold]zoo pull HANDLE[/].");
            return 0;
        }
        var failures = 0;
        foreach (var card in cards)
        {
            var results = await context.Store.VerifyAsync(card, cancellationToken).ConfigureAwait(false);
            foreach (var result in results)
            {
                if (result.Ok)
                {
                    context.Console.MarkupLine($"[green]ok[/]     {Markup.Escape(card.Handle)} {Markup.Escape(result.FileName)}");
                }
                else
                {
                    failures++;
                    context.Console.MarkupLine($"[bold red]FAILED[/] {Markup.Escape(card.Handle)} {Markup.Escape(result.FileName)}: "
                        + Markup.Escape(result.Problem ?? $"expected sha256 {result.ExpectedSha256}, got {result.ActualSha256}")
                        + $" [grey]({Markup.Escape(result.Path)})[/]");
                }
            }
        }
        if (failures > 0)
        {
            context.Status.MarkupLine($"[bold red]{failures} file(s) failed verification.[/] Run [bold]zoo rm HANDLE[/] then [bold]zoo pull HANDLE[/] to fetch them again.");
            return 1;
        }
        return 0;
    }
}
