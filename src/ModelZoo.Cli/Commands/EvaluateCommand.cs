using ModelZoo.Training.Data;
using ModelZoo.Training.Transfer;

namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo evaluate</c>: accuracy, per-class precision/recall/F1 and confusion matrix of a classifier on labelled images.</summary>
public sealed class EvaluateCommand(ZooContext context) : AsyncCommand<EvaluateCommand.Settings>
{
    /// <summary>Options of <c>zoo evaluate</c>.</summary>
    public sealed class Settings : ModelSettings
    {
        /// <summary>Labelled images.</summary>
        [CommandOption("--data <DIR>"), Description("Folder with one sub-folder per class (named like the model's labels), or a path,label CSV.")]
        public string? Data { get; init; }

        /// <summary>JSON output.</summary>
        [CommandOption("--json"), Description("Print the result as JSON: accuracy, per_class (precision, recall, f1, support), the confusion matrix and the labels.")]
        public bool Json { get; init; }

        /// <summary>Folder for grid.png and confusion.png.</summary>
        [CommandOption("-o|--out <DIR>"), Description("Also write grid.png (every image, mistakes first) and confusion.png here.")]
        public string? Out { get; init; }

        /// <summary>Most images in grid.png.</summary>
        [CommandOption("--grid-limit <N>"), Description("Show at most N images in grid.png, mistakes first (default: all).")]
        public int? GridLimit { get; init; }

        /// <summary>Batch size.</summary>
        [CommandOption("-b|--batch <N>"), Description("Images per inference call (default 8)."), DefaultValue(8)]
        public int Batch { get; init; } = 8;

        /// <inheritdoc />
        public override ValidationResult Validate() => OptionRules.FirstError(base.Validate,
            (string.IsNullOrWhiteSpace(Data), "give the labelled images with --data DIR (one sub-folder per class)."),
            (Batch < 1, "--batch must be at least 1."),
            (GridLimit is < 1, "--grid-limit must be at least 1; leave it out to show every image."));
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var card = settings.ResolveCard(context, ModelZoo.Catalog.ModelTask.ImageClassification);
        var dataset = ImageDataset.Load(settings.Data!);
        var model = (await PullProgressDisplay.PullAsync(context, [card], cancellationToken).ConfigureAwait(false))[0];
        using var classifier = ImageClassifier.Open(model, new ImageTaskOptions
        {
            BatchSize = settings.Batch,
            Session = settings.Session(runtimeLog: settings.Verbose),
        });
        EvaluationResult? result = null;
        await ImageProgress.RunAsync(context, "evaluating", dataset.Images.Count, async tick =>
        {
            var reporter = new SyncProgress<int>(_ => tick());
            result = await ClassifierEvaluator.EvaluateAsync(classifier, dataset, reporter, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        foreach (var skipped in result!.Skipped)
        {
            context.Status.MarkupLine($"[yellow]skipped[/] {Markup.Escape(skipped.Reason)}");
        }
        if (settings.Out is { } outDir)
        {
            var (grid, confusion) = result.WriteImages(outDir, settings.GridLimit);
            context.Status.MarkupLine($"wrote {Markup.Escape(grid)} and {Markup.Escape(confusion)}");
        }
        if (settings.Json)
        {
            context.Output.WriteLine(result.ToJson());
            context.Output.Flush();
        }
        else
        {
            WriteTables(result);
        }
        return result.Images.Count == 0 ? 1 : 0;
    }

    private void WriteTables(EvaluationResult result)
    {
        var console = context.Console;
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[bold]{Markup.Escape(result.Model)}[/]: accuracy [bold]{result.Accuracy:P1}[/] on {result.Images.Count} images ({result.Skipped.Count} skipped)"));
        var perClass = new Table().Border(TableBorder.Rounded).Title("per class")
            .AddColumn("Label").AddColumn(new TableColumn("Precision").RightAligned()).AddColumn(new TableColumn("Recall").RightAligned())
            .AddColumn(new TableColumn("F1").RightAligned()).AddColumn(new TableColumn("Support").RightAligned());
        for (var i = 0; i < result.Labels.Count; i++)
        {
            var m = result.Confusion.PerClass(i);
            if (m.Support == 0 && Enumerable.Range(0, result.Labels.Count).All(t => result.Confusion[t, i] == 0))
            {
                continue;
            }
            perClass.AddRow(Markup.Escape(result.Labels[i]), F(m.Precision), F(m.Recall), F(m.F1), m.Support.ToString(CultureInfo.InvariantCulture));
        }
        console.Write(perClass);

        if (result.Labels.Count <= 20)
        {
            var matrix = new Table().Border(TableBorder.Rounded).Title("confusion (rows: true, columns: predicted)").AddColumn("");
            foreach (var label in result.Labels)
            {
                matrix.AddColumn(new TableColumn(Markup.Escape(label)).RightAligned());
            }
            for (var t = 0; t < result.Labels.Count; t++)
            {
                var row = new List<string> { Markup.Escape(result.Labels[t]) };
                for (var p = 0; p < result.Labels.Count; p++)
                {
                    var n = result.Confusion[t, p];
                    row.Add(t == p ? $"[bold]{n}[/]" : n.ToString(CultureInfo.InvariantCulture));
                }
                matrix.AddRow(row.ToArray());
            }
            console.Write(matrix);
        }
    }

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
