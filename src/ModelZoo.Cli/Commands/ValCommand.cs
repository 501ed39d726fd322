using System.Text;
using ModelZoo.Training.DetectionMetrics;

namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo val</c>: COCO mAP of a detector on labelled images (COCO JSON or YOLO txt labels).</summary>
public sealed class ValCommand(ZooContext context) : AsyncCommand<ValCommand.Settings>
{
    /// <summary>Options of <c>zoo val</c>.</summary>
    public sealed class Settings : ModelSettings
    {
        /// <summary>The labelled folder.</summary>
        [CommandOption("--data <DIR>"), Description("Folder of labelled images: one COCO .json beside the images (or images/), or YOLO .txt labels with classes.txt.")]
        public string? Data { get; init; }

        /// <summary>JSON output.</summary>
        [CommandOption("--json"), Description("Print the metrics as JSON: map50, map, map75, map_small/medium/large and per_class (ap50, ap, precision50 at 101 recall points).")]
        public bool Json { get; init; }

        /// <summary>Report folder.</summary>
        [CommandOption("-o|--out <DIR>"), Description("Write the precision/recall curves (pr-curves.png) and a report (report.md, metrics.json) there.")]
        public string? Out { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() => OptionRules.FirstError(base.Validate,
            (string.IsNullOrWhiteSpace(Data), "give the labelled images with --data DIR (COCO JSON or YOLO txt labels)."));
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var card = settings.ResolveCard(context, ModelZoo.Catalog.ModelTask.ObjectDetection);
        var dataset = DetectionDataset.Load(settings.Data!);
        var model = (await PullProgressDisplay.PullAsync(context, [card], cancellationToken).ConfigureAwait(false))[0];
        using var detector = ObjectDetector.Open(model, new ImageTaskOptions { Session = settings.Session(runtimeLog: settings.Verbose) });
        DetectionMetricsResult? result = null;
        await ImageProgress.RunAsync(context, "validating", dataset.Images.Count, async tick =>
        {
            result = await DetectionValidation.RunAsync(detector, dataset, new SyncProgress<int>(_ => tick()), cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);

        if (settings.Out is { } outDir)
        {
            Directory.CreateDirectory(outDir);
            var png = Path.Combine(outDir, "pr-curves.png");
            DetectionPlots.WritePrecisionRecall(png, result!, card.Handle);
            File.WriteAllText(Path.Combine(outDir, "metrics.json"), result!.ToJson());
            File.WriteAllText(Path.Combine(outDir, "report.md"), Report(card.Handle, dataset, result));
            context.Status.MarkupLine($"wrote {Markup.Escape(png)}, report.md and metrics.json");
        }
        if (settings.Json)
        {
            context.Output.WriteLine(result!.ToJson());
            context.Output.Flush();
            return 0;
        }
        var objects = dataset.Images.Sum(i => i.Boxes.Count);
        context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[bold]{Markup.Escape(card.Handle)}[/] on {dataset.Images.Count} images, {objects} objects ({dataset.Format} labels): " +
            $"mAP@0.5 [bold]{F(result!.Map50)}[/], mAP@0.5:0.95 [bold]{F(result.Map)}[/], mAP@0.75 {F(result.Map75)}; " +
            $"small {F(result.MapSmall)}, medium {F(result.MapMedium)}, large {F(result.MapLarge)}"));
        var table = new Table().Border(TableBorder.Rounded).Title("per class")
            .AddColumn("Class").AddColumn(new TableColumn("Objects").RightAligned()).AddColumn(new TableColumn("Detections").RightAligned())
            .AddColumn(new TableColumn("AP@0.5").RightAligned()).AddColumn(new TableColumn("AP@0.5:0.95").RightAligned())
            .AddColumn(new TableColumn("Max recall").RightAligned());
        foreach (var c in result.PerClass.Where(c => c.GroundTruths > 0))
        {
            table.AddRow(Markup.Escape(c.Label), c.GroundTruths.ToString(CultureInfo.InvariantCulture), c.Detections.ToString(CultureInfo.InvariantCulture),
                F(c.Ap50), F(c.Ap), F(c.MaxRecall50));
        }
        context.Console.Write(table);
        return 0;
    }

    private static string Report(string handle, DetectionDataset dataset, DetectionMetricsResult result)
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"# Detection validation: {handle}");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"{dataset.Images.Count} images, {dataset.Images.Sum(i => i.Boxes.Count)} objects ({dataset.Format} labels). COCO box metrics (101-point interpolation, at most 100 detections per image, score ≥ 0.001).");
        s.AppendLine();
        s.AppendLine("| mAP@0.5 | mAP@0.5:0.95 | mAP@0.75 | small | medium | large |");
        s.AppendLine("|---:|---:|---:|---:|---:|---:|");
        s.AppendLine(CultureInfo.InvariantCulture, $"| {F(result.Map50)} | {F(result.Map)} | {F(result.Map75)} | {F(result.MapSmall)} | {F(result.MapMedium)} | {F(result.MapLarge)} |");
        s.AppendLine();
        s.AppendLine("| class | objects | detections | AP@0.5 | AP@0.5:0.95 | max recall |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var c in result.PerClass.Where(c => c.GroundTruths > 0))
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"| {c.Label} | {c.GroundTruths} | {c.Detections} | {F(c.Ap50)} | {F(c.Ap)} | {F(c.MaxRecall50)} |");
        }
        s.AppendLine();
        s.AppendLine("![precision/recall at IoU 0.5](pr-curves.png)");
        return s.ToString();
    }

    private static string F(double? value) => value is double v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "—";
}
