namespace ModelZoo.Import.Tfjs.Layers;

/// <summary>One call of a Keras layer: its class, configuration and input tensors, and the graph builder its
/// converter emits TensorFlow nodes into. Nodes are named under <see cref="Scope"/>.</summary>
/// <param name="Builder">The graph builder the converter emits into.</param>
/// <param name="ClassName">The Keras class of the layer.</param>
/// <param name="Name">The layer's name; its weights are <c>&lt;name&gt;/&lt;weight&gt;</c> in the manifest.</param>
/// <param name="Scope">Prefix of the nodes this call emits (the layer name, plus the call index for a shared layer).</param>
/// <param name="Config">The layer's configuration.</param>
/// <param name="Inputs">The tensors the layer is called on.</param>
internal sealed class KerasLayerCall(KerasGraphBuilder Builder, string ClassName, string Name, string Scope, JsonElement Config,
    IReadOnlyList<string> Inputs)
{
    private int _next;

    public KerasGraphBuilder Builder { get; } = Builder;

    public string ClassName { get; } = ClassName;

    public string Name { get; } = Name;

    public string Scope { get; } = Scope;

    public JsonElement Config { get; } = Config;

    public IReadOnlyList<string> Inputs { get; } = Inputs;

    /// <summary>The single input; a layer called on several tensors is refused.</summary>
    public string Input => Inputs.Count == 1
        ? Inputs[0]
        : throw new NodeNotSupportedException($"expects one input, called on {Inputs.Count}");

    /// <summary>Emits a node named <c>&lt;scope&gt;/&lt;op&gt;</c> and returns its name.</summary>
    public string Op(string op, IReadOnlyList<string> inputs, params (string Key, JsonElement Value)[] attrs) =>
        Builder.Emit($"{Scope}/{op}{(_next++ == 0 ? "" : "_" + _next)}", op, inputs, attrs);

    /// <summary>A weight of this layer (e.g. <c>kernel</c>) as a constant node.</summary>
    public string Weight(string weight) => Builder.Weight(Name, weight);

    /// <summary>The value of a weight of this layer.</summary>
    public ConstTensor WeightValue(string weight) => Builder.WeightValue(Name, weight);

    public string Floats(long[] shape, float[] values) => Builder.Constant(ConstTensor.Floats(shape, values));

    public string Ints(params int[] values) => Builder.Constant(ConstTensor.Ints([values.Length], values));

    public bool Has(string key) => Config.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null;

    public string Str(string key, string fallback) =>
        Config.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : fallback;

    public bool Bool(string key, bool fallback) =>
        Config.TryGetProperty(key, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : fallback;

    public double Double(string key, double fallback) =>
        Config.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : fallback;

    public long Int(string key, long fallback) =>
        Config.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : fallback;

    /// <summary>A Keras "int or tuple" setting: <c>2</c> → [2, 2], <c>[2, 3]</c> → [2, 3]; the fallback when absent or null.</summary>
    public long[] Pair(string key, long[] fallback)
    {
        if (!Config.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }
        if (v.ValueKind == JsonValueKind.Number)
        {
            return [v.GetInt64(), v.GetInt64()];
        }
        var values = v.EnumerateArray().Select(e => e.GetInt64()).ToArray();
        return values.Length == 2 ? values : throw new InvalidDataException($"layer '{Name}' has {key} {v.GetRawText()}, not two values");
    }

    /// <summary>Refuses the call unless the layer is channels-last (TensorFlow.js runs Keras layers in NHWC).</summary>
    public void RequireChannelsLast()
    {
        var format = Str("data_format", "channels_last");
        if (format != "channels_last")
        {
            throw new NodeNotSupportedException($"data_format {format}: only channels_last is translated");
        }
    }
}
