using ModelZoo.Import.Darknet;

namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo import darknet</c>: translate a Darknet cfg and its weights into one ONNX file.</summary>
public sealed class ImportDarknetCommand(ZooContext context) : Command<ImportDarknetCommand.Settings>
{
    /// <summary>Options of <c>zoo import darknet</c>.</summary>
    public sealed class Settings : ImportSettings
    {
        /// <summary>Path of the cfg.</summary>
        [CommandArgument(0, "<CFG>"), Description("The Darknet cfg (yolov3.cfg, …).")]
        public string Cfg { get; init; } = "";

        /// <summary>Path of the weights.</summary>
        [CommandArgument(1, "<WEIGHTS>"), Description("The weights file written for that cfg.")]
        public string Weights { get; init; } = "";

        /// <summary>Class names to write into the model.</summary>
        [CommandOption("--labels <FILE>"), Description("Class names written into the model, one per line in class order (Darknet's data/coco.names, …) or builtin:NAME (e.g. builtin:coco80); then `zoo detect`/`zoo classify` need nothing but the file.")]
        public string? Labels { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() => OptionRules.FirstError(base.Validate,
            (string.IsNullOrWhiteSpace(Cfg) || string.IsNullOrWhiteSpace(Weights), "give the cfg and the weights file"));
    }

    /// <inheritdoc />
    public override int Execute(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var weights = Path.GetFullPath(settings.Weights);
        var target = settings.TargetFor(weights);
        // Import before creating anything, so that a refused model leaves no file or folder behind.
        var labels = settings.Labels is { } option ? LocalModelCards.LabelNames(option) : null;
        var result = DarknetImporter.Import(settings.Cfg, weights, new DarknetImportOptions { Labels = labels });
        ImportReport.Save(result.Model, target);
        ImportReport.WriteCounts(context, "Darknet layer", "count", result.LayerCounts.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        var outputs = string.Join(", ", result.Model.Outputs.Select(o => $"{o.Name}[{string.Join(",", o.Shape.Select(d => d.Value?.ToString(CultureInfo.InvariantCulture) ?? "?"))}]"));
        context.Console.MarkupLine($"outputs: {Markup.Escape(outputs)}");
        var (w, h, c) = result.InputSize;
        ImportReport.WriteDone(context,
            $"weights v{result.WeightsVersion}, {result.ParameterCount.ToString("N0", CultureInfo.InvariantCulture)} parameters, input {Markup.Escape($"{DarknetImporter.InputName}[1,{c},{h},{w}]")}",
            result.Model, DarknetImporter.Opset, result.Elapsed, target);
        WriteDescription(result.Model, target, labels);
        return 0;
    }

    /// <summary>Says what the file tells the zoo about itself, and how to run it.</summary>
    private void WriteDescription(ModelZoo.Onnx.OnnxModel model, string target, IReadOnlyList<string>? given)
    {
        var description = EmbeddedModelDescription.Read(model.Metadata);
        if (description is not { Task: { } task, Input: { } input })
        {
            context.Console.MarkupLine("[grey]not a detector or classifier: the file carries no task; `zoo card new FILE --task TASK` describes it.[/]");
            return;
        }
        var detector = task == ModelTask.ObjectDetection;
        var verb = detector ? "detect" : "classify";
        var decoder = description.Output?.Decoder is { } d ? $", decoder {d}" : "";
        var names = description.Labels is { } written
            ? $", {written.Count} class names" + (given!.Count > written.Count ? $" (the first {written.Count} of the {given.Count} given, as Darknet uses them)" : "")
            : "";
        context.Console.MarkupLine(Markup.Escape(
            $"describes itself: {Formatting.TaskName(task)}{decoder}, input {input.Width}×{input.Height} scaled to 0–1{names}"));
        var file = Path.GetFileName(target);
        context.Console.MarkupLine(Markup.Escape(description.Labels is not null
            ? $"run it: zoo {verb} {file} IMAGE"
            : detector
                ? $"no class names written (give --labels with the model's names file, e.g. Darknet's data/coco.names); run it: zoo {verb} {file} IMAGE --labels FILE"
                : $"no class names written: Darknet's ImageNet classifiers have their own class order, so give --labels with data/imagenet.shortnames.list (it uses the first lines); run it: zoo {verb} {file} IMAGE --labels FILE"));
    }
}
