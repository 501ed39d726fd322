using System.Globalization;
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
        var result = DarknetImporter.Import(settings.Cfg, weights);
        ImportReport.Save(result.Model, target);
        ImportReport.WriteCounts(context, "Darknet layer", "count", result.LayerCounts.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        var outputs = string.Join(", ", result.Model.Outputs.Select(o => $"{o.Name}[{string.Join(",", o.Shape.Select(d => d.Value?.ToString(CultureInfo.InvariantCulture) ?? "?"))}]"));
        context.Console.MarkupLine($"outputs: {Markup.Escape(outputs)}");
        var (w, h, c) = result.InputSize;
        ImportReport.WriteDone(context,
            $"weights v{result.WeightsVersion}, {result.ParameterCount.ToString("N0", CultureInfo.InvariantCulture)} parameters, input {Markup.Escape($"{DarknetImporter.InputName}[1,{c},{h},{w}]")}",
            result.Model, DarknetImporter.Opset, result.Elapsed, target);
        return 0;
    }
}
