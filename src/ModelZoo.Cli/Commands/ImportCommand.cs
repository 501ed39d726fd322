using System.Globalization;
using ModelZoo.Import.Tfjs;

namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo import tfjs</c>: translate a TensorFlow.js graph model (model.json + shards) into one ONNX file.</summary>
public sealed class ImportCommand(ZooContext context) : Command<ImportCommand.Settings>
{
    /// <summary>Options of <c>zoo import tfjs</c>.</summary>
    public sealed class Settings : ZooCommandSettings
    {
        /// <summary>Path of model.json.</summary>
        [CommandArgument(0, "<MODEL_JSON>"), Description("Path of the TFJS graph model's model.json (its weight shards beside it).")]
        public string ModelJson { get; init; } = "";

        /// <summary>Output path.</summary>
        [CommandOption("-o|--out <PATH>"), Description("Where to write the ONNX model (default: model.json's name with .onnx, beside it).")]
        public string? Out { get; init; }

        /// <summary>Fixed batch size.</summary>
        [CommandOption("--batch <N>"), Description("Fix an unknown batch dimension of the inputs to N (default: keep it symbolic).")]
        public int? Batch { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(ModelJson))
            {
                return ValidationResult.Error("give the path of a model.json");
            }
            return Batch is <= 0 ? ValidationResult.Error("--batch must be a positive number") : ValidationResult.Success();
        }
    }

    /// <inheritdoc />
    public override int Execute(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var source = Path.GetFullPath(settings.ModelJson);
        var target = Path.GetFullPath(settings.Out ?? Path.ChangeExtension(source, ".onnx"));
        if (ModelZoo.Import.Tflite.TfliteImporter.IsTflite(source))
        {
            return ImportTfliteCommand.Run(context, source, target);
        }
        TfjsImportResult result;
        try
        {
            result = TfjsImporter.ImportWithReport(source, new TfjsImportOptions { BatchSize = settings.Batch });
        }
        catch (UnsupportedOperatorsException ex)
        {
            return ImportReport.Refuse(context, ex.Nodes, "node",
                $"{ex.Operators.Count} operator(s) in {ex.Nodes.Count} node(s) cannot be translated (listed above); " +
                "nothing was written. Choose a model whose ops are all supported, or re-export it without them.");
        }
        ImportReport.Save(result.Model, target);
        ImportReport.WriteCounts(context, "TensorFlow op", "nodes", result.TfOperatorCounts);
        ImportReport.WriteOnnxSummary(context, result.Model);
        ImportReport.WriteDone(context, $"{result.TfNodeCount} TensorFlow nodes, {result.WeightCount} weights", result.Model,
            TfjsImporter.Opset, result.Elapsed, target);
        return 0;
    }
}
