namespace ModelZoo.Import.Tfjs;

/// <summary>
/// The graph uses operators (or operator settings) the TFJS importer does not translate. Nothing is written: the importer
/// never produces a partly translated or silently different graph. <see cref="Nodes"/> lists every offending node.
/// </summary>
public sealed class UnsupportedOperatorsException : ZooException
{
    /// <summary>Creates the error for the model at <paramref name="modelPath"/> listing <paramref name="nodes"/>.</summary>
    public UnsupportedOperatorsException(string modelPath, IReadOnlyList<UnsupportedNode> nodes)
        : base(ZooErrors.TfjsUnsupportedOps, Describe(modelPath, nodes))
    {
        ModelPath = modelPath;
        Nodes = nodes;
    }

    /// <summary>The <c>model.json</c> that was being imported.</summary>
    public string ModelPath { get; }

    /// <summary>Every node that cannot be translated, in graph order.</summary>
    public IReadOnlyList<UnsupportedNode> Nodes { get; }

    /// <summary>Node names per unsupported op, ops in alphabetical order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Operators =>
        Nodes.GroupBy(n => n.Op, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(n => n.Node).ToList(), StringComparer.Ordinal);

    private static string Describe(string modelPath, IReadOnlyList<UnsupportedNode> nodes)
    {
        var groups = nodes.GroupBy(n => n.Op, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var names = g.Select(n => n.Node).ToList();
                var shown = string.Join(", ", names.Take(3)) + (names.Count > 3 ? $", … {names.Count - 3} more" : "");
                var reasons = g.Select(n => n.Reason).Distinct(StringComparer.Ordinal).ToList();
                return $"{g.Key} [{shown}] ({string.Join("; ", reasons)})";
            });
        return $"'{Path.GetFileName(modelPath)}' uses {nodes.Select(n => n.Op).Distinct(StringComparer.Ordinal).Count()} operator(s) " +
               $"the TFJS importer cannot translate: {string.Join("; ", groups)}; convert the model with an exporter that " +
               "supports them, or choose a model whose ops are all supported.";
    }
}
