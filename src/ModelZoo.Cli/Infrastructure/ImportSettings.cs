namespace ModelZoo.Cli.Infrastructure;

/// <summary>Options of the <c>zoo import</c> commands: where the translated ONNX model goes.</summary>
public class ImportSettings : ZooCommandSettings
{
    /// <summary>Output path.</summary>
    [CommandOption("-o|--out <PATH>"), Description("Where to write the ONNX model (default: the model file's name with .onnx, beside it; for Darknet, the weights file's).")]
    public string? Out { get; init; }

    /// <summary>The full path to write: <see cref="Out"/>, else <paramref name="source"/> with its extension replaced by .onnx.</summary>
    /// <param name="source">The file the default name comes from (model.json, the .tflite file, the Darknet weights).</param>
    public string TargetFor(string source) => Target(Out, source);

    /// <summary>The full path to write: <paramref name="out"/>, else <paramref name="source"/> with its extension replaced by .onnx.</summary>
    public static string Target(string? @out, string source) => Path.GetFullPath(@out ?? Path.ChangeExtension(source, ".onnx"));
}
