namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo rm</c>: forget cached models (their blobs go at the next <c>zoo gc</c>). Cards stay registered;
/// <c>zoo card rm</c> takes out the ones the user registered.</summary>
public sealed class RemoveCommand(ZooContext context) : Command<HandlesSettings>
{
    /// <inheritdoc />
    public override int Execute(CommandContext commandContext, HandlesSettings settings, CancellationToken cancellationToken)
    {
        foreach (var handle in settings.Handles)
        {
            var card = context.Catalog.Get(handle);
            context.Console.MarkupLine(context.Store.Remove(card)
                ? $"removed {Markup.Escape(handle)} [grey](run zoo gc to free the space)[/]"
                : $"[grey]{Markup.Escape(handle)} was not cached[/]");
            if (!context.Catalog.IsBuiltin(handle))
            {
                // A card the user registered stays listed after its copy is dropped; say how to take it out too.
                context.Console.MarkupLine($"[grey]{Markup.Escape(handle)} is still registered (zoo list shows it); `zoo card rm {Markup.Escape(handle)}` unregisters it.[/]");
            }
        }
        return 0;
    }
}
