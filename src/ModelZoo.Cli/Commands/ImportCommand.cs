using ModelZoo.Import.Tfjs;

namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo import tfjs</c>: translate a TensorFlow.js graph model (model.json + shards) into one ONNX file.</summary>
public sealed class ImportCommand(ZooContext context) : Command<ImportCommand.Settings>
{
    /// <summary>Options of <c>zoo import tfjs</c>.</summary>
    public sealed class Settings : ModelDescriptionSettings
    {
        /// <summary>Path of model.json.</summary>
        [CommandArgument(0, "<MODEL_JSON>"), Description("Path of the TFJS graph model's model.json (its weight shards beside it).")]
        public string ModelJson { get; init; } = "";

        /// <summary>Output path.</summary>
        [CommandOption("-o|--out <PATH>"), Description("Where to write the ONNX model (default: the model file's name with .onnx, beside it).")]
        public string? Out { get; init; }

        /// <summary>Fixed batch size.</summary>
        [CommandOption("--batch <N>"), Description("Fix an unknown batch dimension of the inputs to N (default: keep it symbolic).")]
        public int? Batch { get; init; }

        /// <summary>What the flags say the imported model is; null when no description flag was given.</summary>
        internal ImportDescription? Description() =>
            Task is null && License is null && !DescribesGraph ? null : new ImportDescription(NamedTask(), DescriptionOptions());

        /// <inheritdoc />
        public override ValidationResult Validate() => OptionRules.FirstError(base.Validate,
            (string.IsNullOrWhiteSpace(ModelJson), "give the path of a model.json"),
            (Batch is <= 0, "--batch must be a positive number"));
    }

    /// <inheritdoc />
    public override int Execute(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var source = Path.GetFullPath(settings.ModelJson);
        var target = ImportSettings.Target(settings.Out, source);
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
