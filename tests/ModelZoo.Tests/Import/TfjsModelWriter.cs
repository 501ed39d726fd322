using System.Globalization;
using System.Text.Json.Nodes;

namespace ModelZoo.Tests.Import;

/// <summary>Writes small TFJS graph models (model.json + one shard) for importer tests, the way tensorflowjs_converter lays them out.</summary>
internal sealed class TfjsModelWriter
{
    private readonly JsonArray _nodes = [];
    private readonly JsonArray _weights = [];
    private readonly MemoryStream _shard = new();

    public TfjsModelWriter Placeholder(string name, string dtype, params long[] shape)
    {
        _nodes.Add(new JsonObject
        {
            ["name"] = name,
            ["op"] = "Placeholder",
            ["attr"] = new JsonObject
            {
                ["dtype"] = new JsonObject { ["type"] = dtype },
                ["shape"] = new JsonObject { ["shape"] = Shape(shape) },
            },
        });
        return this;
    }

    public TfjsModelWriter Const(string name, float[] values, params long[] shape) =>
        ConstBytes(name, "DT_FLOAT", "float32", shape, Bytes(values), null);

    public TfjsModelWriter Const(string name, int[] values, params long[] shape) =>
        ConstBytes(name, "DT_INT32", "int32", shape, Bytes(values), null);

    /// <summary>A weight stored as uint8 with TFJS affine quantization (value = q * scale + min).</summary>
    public TfjsModelWriter QuantizedUint8(string name, string dtype, byte[] q, double scale, double min, params long[] shape) =>
        ConstBytes(name, dtype == "int32" ? "DT_INT32" : "DT_FLOAT", dtype, shape, q,
            new JsonObject { ["dtype"] = "uint8", ["scale"] = scale, ["min"] = min });

    /// <summary>A float32 weight stored as IEEE half floats.</summary>
    public TfjsModelWriter Float16(string name, Half[] values, params long[] shape)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(2 * i), values[i]);
        }
        return ConstBytes(name, "DT_FLOAT", "float32", shape, bytes,
            new JsonObject { ["dtype"] = "float16", ["original_dtype"] = "float32" });
    }

    public TfjsModelWriter Node(string name, string op, string[] inputs, JsonObject? attrs = null)
    {
        var node = new JsonObject { ["name"] = name, ["op"] = op, ["input"] = new JsonArray(inputs.Select(i => (JsonNode)i!).ToArray()) };
        if (attrs is not null)
        {
            node["attr"] = attrs;
        }
        _nodes.Add(node);
        return this;
    }

    public static JsonObject Attrs(params (string Name, JsonNode Value)[] attrs)
    {
        var o = new JsonObject();
        foreach (var (name, value) in attrs)
        {
            o[name] = value;
        }
        return o;
    }

    public static JsonNode I(long value) => new JsonObject { ["i"] = value.ToString(CultureInfo.InvariantCulture) };

    public static JsonNode S(string value) => new JsonObject { ["s"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value)) };

    public static JsonNode F(float value) => new JsonObject { ["f"] = value };

    public static JsonNode T(string dtype) => new JsonObject { ["type"] = dtype };

    public static JsonNode Ints(params long[] values) =>
        new JsonObject { ["list"] = new JsonObject { ["i"] = new JsonArray(values.Select(v => (JsonNode)v.ToString(CultureInfo.InvariantCulture)!).ToArray()) } };

    public static JsonNode Strings(params string[] values) =>
        new JsonObject { ["list"] = new JsonObject { ["s"] = new JsonArray(values.Select(v => (JsonNode)Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(v))!).ToArray()) } };

    /// <summary>Writes <c>model.json</c> and <c>weights.bin</c> into <paramref name="folder"/> and returns the model.json path.</summary>
    public string Save(string folder, params (string Key, string Name)[] outputs)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "weights.bin"), _shard.ToArray());
        var root = new JsonObject
        {
            ["format"] = "graph-model",
            ["generatedBy"] = "ModelZoo.Tests",
            ["convertedBy"] = "TfjsModelWriter",
            ["modelTopology"] = new JsonObject { ["node"] = _nodes.DeepClone(), ["library"] = new JsonObject(), ["versions"] = new JsonObject() },
            ["weightsManifest"] = new JsonArray(new JsonObject { ["paths"] = new JsonArray("weights.bin"), ["weights"] = _weights.DeepClone() }),
        };
        if (outputs.Length > 0)
        {
            var o = new JsonObject();
            foreach (var (key, name) in outputs)
            {
                o[key] = new JsonObject { ["name"] = name };
            }
            root["signature"] = new JsonObject { ["outputs"] = o };
        }
        var path = Path.Combine(folder, "model.json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    private TfjsModelWriter ConstBytes(string name, string tfType, string dtype, long[] shape, byte[] bytes, JsonObject? quantization)
    {
        _nodes.Add(new JsonObject
        {
            ["name"] = name,
            ["op"] = "Const",
            ["attr"] = new JsonObject
            {
                ["value"] = new JsonObject { ["tensor"] = new JsonObject { ["dtype"] = tfType, ["tensorShape"] = Shape(shape) } },
                ["dtype"] = new JsonObject { ["type"] = tfType },
            },
        });
        var spec = new JsonObject { ["name"] = name, ["shape"] = new JsonArray(shape.Select(d => (JsonNode)d!).ToArray()), ["dtype"] = dtype };
        if (quantization is not null)
        {
            spec["quantization"] = quantization;
        }
        _weights.Add(spec);
        _shard.Write(bytes);
        return this;
    }

    private static JsonObject Shape(long[] shape) =>
        new() { ["dim"] = new JsonArray(shape.Select(d => (JsonNode)new JsonObject { ["size"] = d.ToString(CultureInfo.InvariantCulture) }).ToArray()) };

    private static byte[] Bytes(float[] values)
    {
        var b = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, b, 0, b.Length);
        return b;
    }

    private static byte[] Bytes(int[] values)
    {
        var b = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, b, 0, b.Length);
        return b;
    }
}
