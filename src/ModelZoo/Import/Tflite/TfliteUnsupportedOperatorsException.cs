using ModelZoo.Import.Tfjs;

namespace ModelZoo.Import.Tflite;

/// <summary>
/// The model uses operators (or operator settings) the TFLite importer does not translate. Nothing is written.
/// <see cref="Operators"/> lists every offending operator; <see cref="UnsupportedNode.Node"/> is its index in subgraph 0
/// (<c>#12</c>) with the name of its first output.
/// </summary>
public sealed class TfliteUnsupportedOperatorsException : ZooException
{
    /// <summary>Creates the error for the model at <paramref name="modelPath"/> listing <paramref name="operators"/>.</summary>
    public TfliteUnsupportedOperatorsException(string modelPath, IReadOnlyList<UnsupportedNode> operators)
        : base("tflite-unsupported-ops", Describe(modelPath, operators))
    {
        ModelPath = modelPath;
        Operators = operators;
    }

    /// <summary>The <c>.tflite</c> file that was being imported.</summary>
    public string ModelPath { get; }

    /// <summary>Every operator that cannot be translated, in execution order.</summary>
    public IReadOnlyList<UnsupportedNode> Operators { get; }

    private static string Describe(string modelPath, IReadOnlyList<UnsupportedNode> operators)
    {
        var groups = operators.GroupBy(n => n.Op, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var indices = g.Select(n => n.Node.Split(' ')[0]).ToList();
                var shown = string.Join(", ", indices.Take(5)) + (indices.Count > 5 ? $", … {indices.Count - 5} more" : "");
                return $"{g.Key} at operator {shown} ({string.Join("; ", g.Select(n => n.Reason).Distinct(StringComparer.Ordinal))})";
            });
        return $"'{Path.GetFileName(modelPath)}' uses {operators.Select(n => n.Op).Distinct(StringComparer.Ordinal).Count()} operator(s) " +
               $"the TFLite importer cannot translate: {string.Join("; ", groups)}; choose a model whose ops are all supported, " +
               "or convert it to ONNX with an exporter that supports them.";
    }
}
