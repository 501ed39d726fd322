namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo similar</c>: texts ranked by cosine similarity to a query.</summary>
public sealed class SimilarCommand(ZooContext context) : AsyncCommand<SimilarCommand.Settings>
{
    /// <summary>Options of <c>zoo similar</c>.</summary>
    public sealed class Settings : TextTaskSettings
    {
        /// <summary>How many texts to show.</summary>
        [CommandOption("-k|--top <K>"), Description("Number of most similar texts to show (default 10)."), DefaultValue(10)]
        public int Top { get; init; } = 10;

        /// <summary>JSON output.</summary>
        [CommandOption("--json"), Description("Print [[{\"text\", \"score\"}]], most similar first, instead of a table.")]
        public bool Json { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() => OptionRules.FirstError(base.Validate,
            (Top < 1, "--top must be at least 1."));
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var (card, arguments) = TextInputs.ResolveModel(context, settings);
        if (arguments.Count == 0)
        {
            throw new ZooUsageException("no query; run `zoo similar \"QUERY\" TEXT...` or `zoo similar \"QUERY\" --file FILE`.");
        }
        var query = arguments[0];
        IReadOnlyList<string> candidates = (arguments.Count - 1, settings.File) switch
        {
            (> 0, not null) => throw new ZooUsageException("give the texts to rank as arguments or with --file, not both; drop one of them."),
            (0, null) => throw new ZooUsageException("no texts to rank; pass them after the query or with --file FILE (one per line)."),
            (_, null) => arguments.Skip(1).ToList(),
            (_, { } file) => TextInputs.ReadLines(file),
        };
        if (candidates.Count == 0)
        {
            throw new ZooUsageException($"'{settings.File}' has no text lines; put one text per line.");
        }
        var model = (await PullProgressDisplay.PullAsync(context, [card], cancellationToken).ConfigureAwait(false))[0];
        using var embedder = TextEmbedder.Open(model, settings.ToOptions());
        var embeddings = embedder.EmbedWithDetails([query, .. candidates], cancellationToken);
        TextInputs.WarnTruncated(context, embeddings, embedder.MaxTokens);
        var ranked = embeddings.Skip(1)
            .Select(e => (e.Text, Score: TextEmbedder.Similarity(embeddings[0].Vector, e.Vector)))
            .OrderByDescending(r => r.Score)
            .Take(settings.Top)
            .ToList();
        if (settings.Json)
        {
            JsonArrayOutput.Write(context, ranked, (writer, r) =>
            {
                writer.WriteString("text", r.Text);
                writer.WriteNumber("score", r.Score);
            }, JsonArrayOutput.Readable);
        }
        else
        {
            var inv = CultureInfo.InvariantCulture;
            var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(TextInputs.Shorten(query, 60)))
                .AddColumn("#").AddColumn(new TableColumn("Cosine").RightAligned()).AddColumn("Text");
            var rank = 1;
            foreach (var (text, score) in ranked)
            {
                table.AddRow((rank++).ToString(inv), score.ToString("0.0000", inv), Markup.Escape(TextInputs.Shorten(text, 80)));
            }
            context.Console.Write(table);
        }
        return 0;
    }
}
