namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo card rm</c>: unregisters cards you registered (<c>zoo train</c>, <c>zoo quantize</c>, <c>zoo card
/// new</c>), with their cached copy. The files a card points to stay where they are unless the zoo wrote them into its
/// own home (an int8 model from <c>zoo quantize</c>): a training run's folder is the user's.</summary>
public sealed class CardRemoveCommand(ZooContext context) : Command<HandlesSettings>
{
    /// <inheritdoc />
    public override int Execute(CommandContext commandContext, HandlesSettings settings, CancellationToken cancellationToken)
    {
        foreach (var handle in settings.Handles)
        {
            var card = context.Catalog.Get(handle);
            if (context.Catalog.IsBuiltin(handle))
            {
                throw new ZooUsageException($"'{handle}' is a built-in model, not a card you registered; `zoo rm {handle}` frees its cached files.");
            }
            context.Store.Remove(card);
            context.Catalog.Unregister(handle, context.Settings);
            var owned = OwnedFolder(card);
            if (owned is not null)
            {
                Directory.Delete(owned, recursive: true);
            }
            var kept = card.Files.Select(f => f.Source).Where(s => s.StartsWith("file:", StringComparison.Ordinal))
                .Select(s => Path.GetDirectoryName(Path.GetFullPath(s["file:".Length..]))!)
                .Where(d => owned is null || !IsUnder(d, owned)).Distinct(StringComparer.Ordinal).ToList();
            context.Console.MarkupLine($"unregistered {Markup.Escape(handle)}"
                + (owned is null ? "" : $" [grey](deleted {Markup.Escape(owned)})[/]")
                + (kept.Count == 0 ? "" : $" [grey](its files in {Markup.Escape(string.Join(", ", kept))} are kept)[/]"));
        }
        return 0;
    }

    /// <summary>The folder under the zoo's home that holds the card's files and nothing else, or null.</summary>
    private string? OwnedFolder(ModelCard card)
    {
        var folder = Path.GetFullPath(Path.Combine(context.Settings.Home, "quantized", card.Handle.Replace('/', '+')));
        return Directory.Exists(folder) && card.Files.Any(f => f.Source.StartsWith("file:", StringComparison.Ordinal)
            && IsUnder(Path.GetFullPath(f.Source["file:".Length..]), folder)) ? folder : null;
    }

    // Windows and macOS file systems ignore case by default.
    private static bool IsUnder(string path, string folder) =>
        (path + Path.DirectorySeparatorChar).StartsWith(folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar,
            OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
}
