using System.Text;

namespace ModelZoo.Import.Tfjs;

/// <summary>One TensorFlow <c>NodeDef</c> of a TFJS graph model: name, op, data inputs (control inputs dropped) and attributes.</summary>
internal sealed class TfNode
{
    private readonly Dictionary<string, JsonElement> _attrs;

    public TfNode(string name, string op, IReadOnlyList<string> inputs, Dictionary<string, JsonElement> attrs,
        IReadOnlyList<string>? controlInputs = null)
    {
        Name = name;
        Op = op;
        Inputs = inputs;
        _attrs = attrs;
        ControlInputs = controlInputs ?? [];
    }

    /// <summary>Names of the nodes this node must run after (<c>^name</c> inputs).</summary>
    public IReadOnlyList<string> ControlInputs { get; }

    /// <summary>Names of every node this node reads, data and control.</summary>
    public IEnumerable<string> AllInputNodes => Inputs.Select(i => ParseReference(i).Node).Concat(ControlInputs);

    public string Name { get; }

    public string Op { get; }

    /// <summary>Data inputs as written in the graph: <c>node</c> or <c>node:k</c>.</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <exception cref="InvalidDataException">The node is not an object or its name is missing or not a string.</exception>
    public static TfNode Parse(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("name", out var n) || n.ValueKind != JsonValueKind.String || n.GetString() is not { Length: > 0 } name)
        {
            throw new InvalidDataException("a node must be an object with a non-empty string 'name'");
        }
        var op = element.TryGetProperty("op", out var o) ? o.GetString() ?? "" : "";
        var inputs = new List<string>();
        var control = new List<string>();
        if (element.TryGetProperty("input", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var input in list.EnumerateArray())
            {
                var text = input.GetString();
                if (string.IsNullOrEmpty(text))
                {
                    continue;
                }
                if (text.StartsWith('^'))
                {
                    control.Add(text[1..]);
                }
                else
                {
                    inputs.Add(text);
                }
            }
        }
        var attrs = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (element.TryGetProperty("attr", out var attr) && attr.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in attr.EnumerateObject())
            {
                attrs[property.Name] = property.Value;
            }
        }
        return new TfNode(name, op, inputs, attrs, control);
    }

    /// <summary>Splits an input reference into node name and output index (<c>a:1</c> → (a, 1); <c>a</c> → (a, 0)).</summary>
    public static (string Node, int Index) ParseReference(string reference)
    {
        var parts = reference.Split(':');
        if (parts.Length == 1)
        {
            return (reference, 0);
        }
        return int.TryParse(parts[^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var index)
            ? (parts[0], index)
            : (reference, 0);
    }

    public bool Has(string attr) => _attrs.ContainsKey(attr);

    public long Int(string attr, long fallback = 0) =>
        _attrs.TryGetValue(attr, out var v) && v.TryGetProperty("i", out var i) ? ReadLong(i) : fallback;

    public float Float(string attr, float fallback = 0f) =>
        _attrs.TryGetValue(attr, out var v) && v.TryGetProperty("f", out var f) ? (float)ReadDouble(f) : fallback;

    public bool Bool(string attr, bool fallback = false) =>
        _attrs.TryGetValue(attr, out var v) && v.TryGetProperty("b", out var b) ? b.ValueKind == JsonValueKind.True : fallback;

    public string String(string attr, string fallback = "") =>
        _attrs.TryGetValue(attr, out var v) && v.TryGetProperty("s", out var s) ? DecodeBase64(s.GetString()) : fallback;

    /// <summary>A <c>type</c> attribute such as <c>DT_FLOAT</c>, or null.</summary>
    public string? DType(string attr) =>
        _attrs.TryGetValue(attr, out var v) && v.TryGetProperty("type", out var t) ? t.GetString() : null;

    public long[] Ints(string attr)
    {
        if (_attrs.TryGetValue(attr, out var v) && v.TryGetProperty("list", out var list) && list.TryGetProperty("i", out var items))
        {
            return items.EnumerateArray().Select(ReadLong).ToArray();
        }
        return [];
    }

    public string[] Strings(string attr)
    {
        if (_attrs.TryGetValue(attr, out var v) && v.TryGetProperty("list", out var list) && list.TryGetProperty("s", out var items))
        {
            return items.EnumerateArray().Select(e => DecodeBase64(e.GetString())).ToArray();
        }
        return [];
    }

    /// <summary>A <c>shape</c> attribute (Placeholder), -1 for unknown dimensions; null when absent or of unknown rank.</summary>
    public long[]? Shape(string attr)
    {
        if (_attrs.TryGetValue(attr, out var v) && v.TryGetProperty("shape", out var shape))
        {
            return ReadShape(shape);
        }
        return null;
    }

    /// <summary>The <c>tensor</c> attribute's JSON (a Const's value), or null.</summary>
    public JsonElement? Tensor(string attr) =>
        _attrs.TryGetValue(attr, out var v) && v.TryGetProperty("tensor", out var t) ? t : null;

    public static long[]? ReadShape(JsonElement shape)
    {
        if (shape.TryGetProperty("unknownRank", out var unknown) && unknown.ValueKind == JsonValueKind.True)
        {
            return null;
        }
        if (!shape.TryGetProperty("dim", out var dims))
        {
            return [];
        }
        var result = dims.EnumerateArray()
            .Select(d => d.TryGetProperty("size", out var size) ? ReadLong(size) : 0L)
            .ToArray();
        if (result.Any(d => d < -1))
        {
            throw new InvalidDataException($"the shape [{string.Join(",", result)}] has a dimension below -1");
        }
        return result;
    }

    public static long ReadLong(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? long.Parse(value.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture)
        : value.GetInt64();

    public static double ReadDouble(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? value.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => double.Parse(s!, NumberStyles.Float, CultureInfo.InvariantCulture),
        }
        : value.GetDouble();

    private static string DecodeBase64(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(text));
        }
        catch (FormatException)
        {
            return text;
        }
    }
}
