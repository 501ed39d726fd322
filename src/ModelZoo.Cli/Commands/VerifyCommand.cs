namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo verify</c>: re-hash cached files against their cards.</summary>
public sealed class VerifyCommand(ZooContext context) : AsyncCommand<VerifyCommand.Settings>
{
    /// <summary>Options of <c>zoo verify</c>.</summary>
    public sealed class Settings : ZooCommandSettings
    {
        /// <summary>Handles (or model files) to verify; all cached models when empty.</summary>
        [CommandArgument(0, "[HANDLE]"), Description("Models to verify (default: every cached model); a model file is checked against the catalog card whose file it should be.")]
        public string[] Handles { get; init; } = [];
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var files = settings.Handles.Where(LocalModelCards.IsModelFile).ToList();
        var cards = settings.Handles.Length > 0
            ? settings.Handles.Except(files).Select(context.Catalog.Get).ToList()
            : context.Catalog.Cards.Where(context.Store.IsCached).ToList();
        var failures = files.Count(file => !VerifyFile(file));
        if (cards.Count == 0 && files.Count == 0)
        {
            context.Console.MarkupLine("[yellow]No cached models to verify.[/] Pull one with [bold]zoo pull HANDLE[/].");
            return 0;
        }
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

    /// <summary>Checks a model file against the catalog: true when it is a card's own file (same size and SHA-256, its
    /// other files beside it alike); otherwise says that no card has it and gives its SHA-256 to compare.</summary>
    private bool VerifyFile(string file)
    {
        var full = LocalModelCards.RequireFile(file);
        if (LocalModelCards.CatalogTwin(context.Catalog, full, null) is { } twin)
        {
            context.Console.MarkupLine($"[green]ok[/]     {Markup.Escape(file)}: the file of {Markup.Escape(twin.Handle)}, as its card's SHA-256 says");
            return true;
        }
        string sha;
        using (var stream = File.OpenRead(full))
        {
            sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
        }
        var length = new FileInfo(full).Length;
        // A flipped byte keeps the size: name the card whose file this most likely was.
        var sameSize = context.Catalog.Cards.Where(c => c.ModelFile.Size == length).Select(c => c.Handle).ToList();
        var likely = sameSize.Count is > 0 and <= 3
            ? $"; it has the size of the model file of {string.Join(", ", sameSize)}, so it is likely a damaged copy: take the file again (`zoo pull {sameSize[0]}`)"
            : "; a damaged or partial copy of a card's file looks like this, and so does a model from elsewhere (compare the SHA-256 with its publisher's)";
        context.Console.MarkupLine($"[bold red]FAILED[/] {Markup.Escape(file)}: no catalog card has this file (sha256 {sha}) with its other files beside it{Markup.Escape(likely)}");
        return false;
    }
}
