using System.Globalization;
using ModelZoo.Cli.Infrastructure;
using ModelZoo.Import.Tflite;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo import tflite</c>: translate a TensorFlow Lite model into one ONNX file. <c>zoo import tfjs</c> given a
/// TFLite file comes here too (the format is detected from the <c>.tflite</c> name or the <c>TFL3</c> identifier).</summary>
public sealed class ImportTfliteCommand(ZooContext context) : Command<ImportCommand.Settings>
{
    /// <inheritdoc />
    public override int Execute(CommandContext commandContext, ImportCommand.Settings settings, CancellationToken cancellationToken)
    {
        var source = Path.GetFullPath(settings.ModelJson);
        return Run(context, source, Path.GetFullPath(settings.Out ?? Path.ChangeExtension(source, ".onnx")));
    }

    /// <summary>Imports <paramref name="source"/> to <paramref name="target"/>, printing the op table; the exit code.</summary>
    internal static int Run(ZooContext context, string source, string target)
    {
        TfliteImportResult result;
        try
        {
            result = TfliteImporter.ImportWithReport(source);
        }
        catch (TfliteUnsupportedOperatorsException ex)
        {
            foreach (var group in ex.Operators.GroupBy(n => n.Op, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var reasons = string.Join("; ", group.Select(n => n.Reason).Distinct(StringComparer.Ordinal));
                context.Console.MarkupLine($"[bold red]{Markup.Escape(group.Key)}[/] ({group.Count()} operator(s): {Markup.Escape(reasons)})");
                foreach (var op in group)
                {
                    context.Console.MarkupLine($"    [grey]{Markup.Escape(op.Node)}[/]");
                }
            }
            context.Status.MarkupLine(
                $"[bold red]error:[/] {ex.Operators.Select(o => o.Op).Distinct(StringComparer.Ordinal).Count()} operator type(s) in {ex.Operators.Count} operator(s) " +
                "cannot be translated (listed above); nothing was written. Choose a model whose ops are all supported.");
            return 1;
        }
        var directory = Path.GetDirectoryName(target);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        result.Model.Save(target);
        var ops = new Table().AddColumn("TFLite op").AddColumn(new TableColumn("operators").RightAligned());
        foreach (var (op, count) in result.TfliteOperatorCounts)
        {
            ops.AddRow(Markup.Escape(op), count.ToString(CultureInfo.InvariantCulture));
        }
        context.Console.Write(ops);
        var onnx = string.Join(", ", result.OnnxOperatorCounts.Select(kv => $"{kv.Key} {kv.Value}"));
        context.Console.MarkupLine($"ONNX operators: [grey]{Markup.Escape(onnx)}[/]");
        var inputs = string.Join(", ", result.Model.Inputs.Select(i => $"{i.Name} {i.ElementType}[{string.Join(",", i.Shape.Select(d => d.Value?.ToString(CultureInfo.InvariantCulture) ?? d.Symbol ?? "?"))}]"));
        context.Console.MarkupLine($"inputs: {Markup.Escape(inputs)}");
        context.Console.MarkupLine($"outputs: {Markup.Escape(string.Join(", ", result.Model.Outputs.Select(o => o.Name)))}");
        context.Console.MarkupLine(
            $"[green]ok[/] {result.OperatorCount} TFLite operators, {result.TensorCount} tensors → {result.Model.NodeCount} ONNX nodes " +
            $"(opset {TfliteImporter.Opset}) in {result.Elapsed.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)} ms " +
            $"[grey]→ {Markup.Escape(target)}[/]");
        return 0;
    }
}
