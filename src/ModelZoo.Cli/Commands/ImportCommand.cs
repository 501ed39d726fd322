using ModelZoo.Import.Tfjs;

namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo import tfjs</c>: translate a TensorFlow.js graph model (model.json + shards) into one ONNX file.</summary>
public sealed class ImportCommand(ZooContext context) : Command<ImportCommand.Settings>
{
    /// <summary>Options of <c>zoo import tfjs</c>.</summary>
    public sealed class Settings : ImportSettings
    {
        /// <summary>Path of model.json.</summary>
        [CommandArgument(0, "<MODEL_JSON>"), Description("Path of the TFJS graph model's model.json (its weight shards beside it).")]
        public string ModelJson { get; init; } = "";

        /// <summary>Fixed batch size.</summary>
        [CommandOption("--batch <N>"), Description("Fix an unknown batch dimension of the inputs to N (default: keep it symbolic).")]
        public int? Batch { get; init; }

        /// <summary>What the model does, written into the .onnx.</summary>
        [CommandOption("-t|--task <TASK>"), Description("Write what the model does into the .onnx, so it runs (and serves) with no flags: image-classification, image-feature-vector, object-detection, pose-estimation, face-detection or image-segmentation. Not needed for a catalog model's own file, whose card is written.")]
        public string? Task { get; init; }

        /// <summary>Class names written into the .onnx.</summary>
        [CommandOption("--labels <FILE>"), Description("With --task: class names, one per line (or builtin:NAME, e.g. builtin:coco80).")]
        public string? Labels { get; init; }

        /// <summary>Normalisation mean written into the .onnx.</summary>
        [CommandOption("--mean <VALUES>"), Description("With --task: per-channel mean after scaling pixels to [[0,1]], e.g. 0.485,0.456,0.406.")]
        public string? Mean { get; init; }

        /// <summary>Normalisation standard deviation written into the .onnx.</summary>
        [CommandOption("--std <VALUES>"), Description("With --task: per-channel standard deviation, e.g. 0.229,0.224,0.225.")]
        public string? Std { get; init; }

        /// <summary>Input size written into the .onnx.</summary>
        [CommandOption("--size <N>"), Description("With --task: input size N or WxH, when the graph does not fix it.")]
        public string? Size { get; init; }

        /// <summary>Output decoder written into the .onnx.</summary>
        [CommandOption("--decoder <NAME>"), Description("With --task: how to read the outputs (detection, pose, face and segmentation models).")]
        public string? Decoder { get; init; }

        /// <summary>Licence of the weights written into the .onnx.</summary>
        [CommandOption("--license <SPDX>"), Description("With --task: SPDX licence of the weights.")]
        public string? License { get; init; }

        /// <summary>What the flags say the imported model is; null when no description flag was given.</summary>
        internal ImportDescription? Description() =>
            Task is null && Labels is null && Mean is null && Std is null && Size is null && Decoder is null && License is null
                ? null
                : new ImportDescription(Task is { } name ? Formatting.ParseTask(name) : null,
                    LocalModelCards.FromFlags(Labels, Mean, Std, Size, Decoder) with { License = License });

        /// <inheritdoc />
        public override ValidationResult Validate() => OptionRules.FirstError(base.Validate,
            (string.IsNullOrWhiteSpace(ModelJson), "give the path of a model.json"),
            (Batch is <= 0, "--batch must be a positive number"));
    }

    /// <inheritdoc />
    public override int Execute(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var source = Path.GetFullPath(settings.ModelJson);
        var target = settings.TargetFor(source);
        if (ModelZoo.Import.Tflite.TfliteImporter.IsTflite(source))
        {
            return ImportTfliteCommand.Run(context, source, target, settings.Description());
        }
        return ImportReport.Translate(
            () => TfjsImporter.ImportWithReport(source, new TfjsImportOptions { BatchSize = settings.Batch }),
            (UnsupportedOperatorsException ex) => ImportReport.Refuse(context, ex.Nodes, "node",
                $"{ex.Operators.Count} operator(s) in {ex.Nodes.Count} node(s) cannot be translated (listed above); " +
                "nothing was written. Choose a model whose ops are all supported, or re-export it without them."),
            result => ImportReport.Publish(context, source, result.Model, target, settings.Description(), ("TensorFlow op", "nodes", result.TfOperatorCounts),
                $"{result.TfNodeCount} TensorFlow nodes, {result.WeightCount} weights", TfjsImporter.Opset, result.Elapsed));
    }
}
