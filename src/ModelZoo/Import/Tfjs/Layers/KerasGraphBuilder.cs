namespace ModelZoo.Import.Tfjs.Layers;

/// <summary>
/// Collects the TensorFlow nodes a Keras model stands for. Weights become <c>Const</c> nodes named as in the weights
/// manifest (<c>layer/kernel</c>); constants the layers need (axes, sizes, folded batch-norm factors) are added under
/// their own names. The importer's graph converter then translates these nodes exactly as a graph model's.
/// </summary>
internal sealed class KerasGraphBuilder
{
    private readonly IReadOnlyDictionary<string, ConstTensor> _weights;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _constants;

    public KerasGraphBuilder(IReadOnlyDictionary<string, ConstTensor> weights)
    {
        _weights = weights;
    }

    public List<TfNode> Nodes { get; } = [];

    /// <summary>Values of the constants this builder made (weights are read from the manifest).</summary>
    public Dictionary<string, ConstTensor> Constants { get; } = new(StringComparer.Ordinal);

    /// <summary>Names of the manifest weights some layer used.</summary>
    public HashSet<string> UsedWeights { get; } = new(StringComparer.Ordinal);

    public string Emit(string name, string op, IReadOnlyList<string> inputs, params (string Key, JsonElement Value)[] attrs)
    {
        var unique = name;
        for (var k = 2; !_names.Add(unique); k++)
        {
            unique = $"{name}_{k}";
        }
        var dict = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in attrs)
        {
            dict[key] = value;
        }
        Nodes.Add(new TfNode(unique, op, inputs, dict));
        return unique;
    }

    public string Constant(ConstTensor value)
    {
        var name = Emit($"keras_constant/{_constants++}", "Const", []);
        Constants[name] = value;
        return name;
    }

    public string Weight(string layer, string weight)
    {
        var key = WeightKey(layer, weight);
        if (UsedWeights.Add(key))
        {
            _names.Add(key);
            Nodes.Add(new TfNode(key, "Const", [], new Dictionary<string, JsonElement>(StringComparer.Ordinal)));
        }
        return key;
    }

    public ConstTensor WeightValue(string layer, string weight) => _weights[WeightKey(layer, weight)];

    /// <summary>The manifest name of a layer's weight: <c>layer/weight</c>, or the one name ending in <c>/layer/weight</c>
    /// (Keras prefixes the weights of a nested model with the outer model's name in some exports).</summary>
    private string WeightKey(string layer, string weight)
    {
        var key = $"{layer}/{weight}";
        if (_weights.ContainsKey(key))
        {
            return key;
        }
        var suffix = "/" + key;
        var matches = _weights.Keys.Where(k => k.EndsWith(suffix, StringComparison.Ordinal)).Take(2).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidDataException(matches.Count == 0
                ? $"its weight '{key}' is not in the weights manifest"
                : $"its weight '{key}' matches several manifest entries");
    }
}
