namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo info</c>: one card in full, licence first; for a model file, the card it runs as.</summary>
public sealed class InfoCommand(ZooContext context) : Command<InfoCommand.Settings>
{
    /// <summary>Options of <c>zoo info</c>.</summary>
    public sealed class Settings : ZooCommandSettings
    {
        /// <summary>Model handle.</summary>
        [CommandArgument(0, "<HANDLE>"), Description("Model handle, as shown by `zoo list`, or a model file: a catalog model's own file, or one the zoo wrote (train, quantize, headless, import), shown as the card it runs as.")]
        public string Handle { get; init; } = "";

        /// <summary>JSON output.</summary>
        [CommandOption("--json"), Description("Print the model card as JSON.")]
        public bool Json { get; init; }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var card = LocalModelCards.IsModelFile(settings.Handle) ? LocalModelCards.RunsAs(context, settings.Handle,
            $"run it with a command and flags (`zoo classify {settings.Handle} --labels FILE …`)") : context.Catalog.Get(settings.Handle);
        if (settings.Json)
        {
            context.Output.WriteLine(ModelCardJson.Serialize(card));
            return 0;
        }
        var console = context.Console;
        WriteHeader(console, card);
        console.Write(Details(card));
        WriteFiles(console, card);
        return 0;
    }

    private static void WriteHeader(IAnsiConsole console, ModelCard card)
    {
        console.Write(new Rule($"[bold]{Markup.Escape(card.Handle)}[/]").LeftJustified());
        if (card.Title is not null)
        {
            console.MarkupLine($"[bold]{Markup.Escape(card.Title)}[/]");
        }
        if (card.Description is not null)
        {
            console.MarkupLine(Markup.Escape(card.Description));
        }
        var restricted = Formatting.IsRestricted(card.License);
        var licenseText = $"[bold]{Markup.Escape(card.License.Spdx)}[/]"
            + (card.License.Url is null ? "" : $"  [link]{Markup.Escape(card.License.Url)}[/]")
            + string.Concat(card.License.Restrictions.Select(r => $"\n[bold red]! {Markup.Escape(r)}[/]"))
            + (card.FineTunable ? "" : "\n[bold red]! fine-tuning not permitted[/]");
        console.Write(new Panel(new Markup(licenseText))
            .Header(restricted ? "[bold red]Licence of the weights: read before use[/]" : "Licence of the weights")
            .BorderColor(restricted ? Color.Red : Color.Grey)
            .Expand());
    }

    private Grid Details(ModelCard card)
    {
        var grid = new Grid().AddColumn().AddColumn();
        void Row(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                grid.AddRow(new Markup($"[grey]{name}[/]"), new Text(value));
            }
        }
        Row("task", Formatting.TaskName(card.Task));
        Row("format", card.Format.ToString().ToLowerInvariant());
        Row("version", card.Version);
        Row("opset", card.Opset?.ToString(CultureInfo.InvariantCulture));
        Row("size", Formatting.Size(card.TotalSize));
        Row("cached", context.Store.IsCached(card) ? "yes" : "no");
        if (card.Input is { } input)
        {
            var inv = CultureInfo.InvariantCulture;
            var shorter = input.ResizeShorterSide is { } side ? string.Create(inv, $" (shorter side {side})") : "";
            var preprocess = input.PreprocessGraph is null ? "" : $", then {input.PreprocessGraph}";
            Row("input", string.Create(inv,
                $"{input.Layout} {input.Width}x{input.Height} {input.ColorOrder}, {input.Resize}{shorter}, scale {input.Scale:G4}, mean [{string.Join(", ", input.Mean)}], std [{string.Join(", ", input.Std)}]{preprocess}"));
        }
        if (card.Text is { } text)
        {
            var accents = text.StripAccents ?? text.Lowercase ? ", accents stripped" : "";
            Row("text", string.Create(CultureInfo.InvariantCulture,
                $"WordPiece {text.VocabFile}, at most {text.MaxTokens} tokens, {(text.Lowercase ? "lower-cased" : "cased")}{accents}{(text.Normalize ? ", unit-length vectors" : "")}"));
        }
        if (card.Output is { } output)
        {
            Row("output", $"{output.Kind}".ToLowerInvariant() + (output.Size is { } n ? $" [{n}]" : "") + (output.Decoder is null ? "" : $", decoder {output.Decoder}"));
            if (card.Task is ModelTask.ImageClassification or ModelTask.ImageFeatureVector)
            {
                // Which tensor `zoo headless` and training cut at: the card's word, or the graph walk when it says nothing.
                Row("features", output.FeatureTensor is { } tensor ? $"{tensor} (declared by the card)" : "detected from the graph when cut");
            }
        }
        if (card.Labels is { } labels)
        {
            Row("labels", labels.Source + (labels.Offset > 0 ? $" (offset {labels.Offset})" : ""));
        }
        if (card.Provenance is { } provenance)
        {
            Row("source", provenance.Zoo);
            Row("url", provenance.Url);
            Row("paper", provenance.Paper);
            Row("metrics", string.Join(", ", provenance.Metrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:G4}"))));
            Row("notes", provenance.Notes);
        }
        Row("tags", string.Join(", ", card.Tags));
        return grid;
    }

    private static void WriteFiles(IAnsiConsole console, ModelCard card)
    {
        // Sources are long (package paths, URLs): whole cells, stacked under the file name when the console is narrow.
        var files = new TextTable().Column("File").Column("Role").Column("Size", right: true).Column("SHA-256").Column("Source");
        foreach (var file in card.Files)
        {
            files.Row(file.Name, file.Role, Formatting.Size(file.Size), file.Sha256[..12] + "…", file.Source);
        }
        console.WriteLine();
        files.Write(console);
    }
}
