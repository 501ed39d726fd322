namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo rm</c>: forget cached models (their blobs go at the next <c>zoo gc</c>).</summary>
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
        }
        return 0;
    }
}
