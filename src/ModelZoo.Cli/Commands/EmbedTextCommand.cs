using System.Numerics.Tensors;

namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo embed-text</c>: sentence vectors of texts.</summary>
public sealed class EmbedTextCommand(ZooContext context) : AsyncCommand<EmbedTextCommand.Settings>
{
    /// <summary>Options of <c>zoo embed-text</c>.</summary>
    public sealed class Settings : TextTaskSettings
    {
        /// <summary>JSON output.</summary>
        [CommandOption("--json"), Description("Print [[{\"text\", \"vector\": [[...]]}]] instead of a table.")]
        public bool Json { get; init; }
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var (card, arguments) = TextInputs.ResolveModel(context, settings);
        IReadOnlyList<string> texts = (arguments.Count, settings.File) switch
        {
            (> 0, not null) => throw new ZooUsageException("give texts as arguments or with --file, not both; drop one of them."),
            (0, null) => throw new ZooUsageException("no text to embed; pass texts as arguments or --file FILE with one text per line."),
            (_, null) => arguments,
            (_, { } file) => TextInputs.ReadLines(file),
        };
        if (texts.Count == 0)
        {
            throw new ZooUsageException($"'{settings.File}' has no text lines; put one text per line.");
        }
        var model = (await PullProgressDisplay.PullAsync(context, [card], cancellationToken).ConfigureAwait(false))[0];
        using var embedder = TextEmbedder.Open(model, settings.ToOptions());
        var embeddings = embedder.EmbedWithDetails(texts, cancellationToken);
        TextInputs.WarnTruncated(context, embeddings, embedder.MaxTokens);
        if (settings.Json)
        {
            WriteJson(embeddings);
        }
        else
        {
            var inv = CultureInfo.InvariantCulture;
            var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(card.Handle))
                .AddColumn("#").AddColumn("Text").AddColumn(new TableColumn("Dims").RightAligned()).AddColumn(new TableColumn("First values").NoWrap())
                .AddColumn(new TableColumn("Norm").RightAligned());
            var row = 1;
            foreach (var e in embeddings)
            {
                var first = string.Join(" ", e.Vector.Take(4).Select(v => v.ToString("+0.0000;-0.0000", inv))) + " …";
                table.AddRow((row++).ToString(inv), Markup.Escape(TextInputs.Shorten(e.Text, 60)), e.Vector.Length.ToString(inv),
                    first, TensorPrimitives.Norm(e.Vector).ToString("0.0000", inv));
            }
            context.Console.Write(table);
        }
        return 0;
    }

    private void WriteJson(IReadOnlyList<TextEmbedding> embeddings) =>
        JsonArrayOutput.Write(context, embeddings, (writer, e) =>
        {
            writer.WriteString("text", e.Text);
            writer.WriteStartArray("vector");
            foreach (var v in e.Vector)
            {
                writer.WriteNumberValue(v);
            }
            writer.WriteEndArray();
        }, JsonArrayOutput.Readable);
}
