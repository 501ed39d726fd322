using ModelZoo.Import.Tflite;

namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo import tflite</c>: translate a TensorFlow Lite model into one ONNX file. <c>zoo import tfjs</c> given a
/// TFLite file comes here too (the format is detected from the <c>.tflite</c> name or the <c>TFL3</c> identifier).</summary>
public sealed class ImportTfliteCommand(ZooContext context) : Command<ImportCommand.Settings>
{
    /// <inheritdoc />
    public override int Execute(CommandContext commandContext, ImportCommand.Settings settings, CancellationToken cancellationToken)
    {
        var source = Path.GetFullPath(settings.ModelJson);
        return Run(context, source, ImportSettings.Target(settings.Out, source), settings.Description());
    }

    /// <summary>Imports <paramref name="source"/> to <paramref name="target"/> (described as <paramref name="description"/> says, when
    /// given), printing the op table; the exit code.</summary>
    internal static int Run(ZooContext context, string source, string target, ImportDescription? description) => ImportReport.Translate(
        () => TfliteImporter.ImportWithReport(source),
        (TfliteUnsupportedOperatorsException ex) => ImportReport.Refuse(context, ex.Operators, "operator",
            $"{ex.Operators.Select(o => o.Op).Distinct(StringComparer.Ordinal).Count()} operator type(s) in {ex.Operators.Count} operator(s) " +
            "cannot be translated (listed above); nothing was written. Choose a model whose ops are all supported."),
        result => ImportReport.Publish(context, source, result.Model, target, description, ("TFLite op", "operators", result.TfliteOperatorCounts),
            $"{result.OperatorCount} TFLite operators, {result.TensorCount} tensors", TfliteImporter.Opset, result.Elapsed));
}
