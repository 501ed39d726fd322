namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo gc</c>: delete stored files no cached model refers to, and stale temporary files.</summary>
public sealed class GcCommand(ZooContext context) : Command<ZooCommandSettings>
{
    /// <inheritdoc />
    public override int Execute(CommandContext commandContext, ZooCommandSettings settings, CancellationToken cancellationToken)
    {
        var keep = context.Catalog.Cards.Where(context.Store.IsCached).ToList();
        var report = context.Store.CollectGarbage(keep);
        context.Console.MarkupLine($"deleted {report.BlobsDeleted} file(s) and {report.TempFilesDeleted} temporary file(s), freed {Formatting.Size(report.BytesFreed)}");
        return 0;
    }
}
