using System.Text.Json.Nodes;

namespace ModelZoo.Tests.Import;

/// <summary>
/// Writes small TFJS layers models (Keras topology + one weight shard) for importer tests, laid out as
/// tensorflowjs_converter writes them: <c>format: "layers-model"</c>, <c>modelTopology.model_config</c>, weights named
/// <c>layer/weight</c>. Weights are deterministic pseudo-random values.
/// </summary>
internal sealed class KerasModelWriter
{
    private readonly JsonArray _layers = [];
    private readonly JsonArray _inputs = [];
    private readonly JsonArray _weights = [];
    private readonly MemoryStream _shard = new();
    private readonly Random _random;

    public KerasModelWriter(int seed = 7)
    {
        _random = new Random(seed);
    }

    /// <summary>A weight spec: name, shape and the uniform range its values are drawn from.</summary>
    public sealed record W(string Name, long[] Shape, double Min = -0.3, double Max = 0.3);

    public string Input(string name, params int?[] batchShape)
    {
        _layers.Add(new JsonObject
        {
            ["class_name"] = "InputLayer",
            ["name"] = name,
            ["config"] = new JsonObject { ["batch_input_shape"] = Shape(batchShape), ["dtype"] = "float32", ["name"] = name },
            ["inbound_nodes"] = new JsonArray(),
        });
        _inputs.Add(new JsonArray(name, 0, 0));
        return name;
    }

    /// <summary>Adds a functional layer called once on <paramref name="inputs"/>; returns its name.</summary>
    public string Layer(string className, string name, JsonObject config, string[] inputs, params W[] weights)
    {
        config["name"] = name;
        config["trainable"] = false;
        config["dtype"] = "float32";
        var call = new JsonArray();
        foreach (var input in inputs)
        {
            call.Add(new JsonArray(input, 0, 0, new JsonObject()));
        }
        _layers.Add(new JsonObject
        {
            ["class_name"] = className,
            ["name"] = name,
            ["config"] = config,
            ["inbound_nodes"] = new JsonArray(call),
        });
        AddWeights(name, weights);
        return name;
    }

    /// <summary>A Sequential layer entry (class and config only), with its weights added to the manifest.</summary>
    public JsonObject SequentialLayer(string className, string name, JsonObject config, params W[] weights)
    {
        config["name"] = name;
        config["trainable"] = false;
        config["dtype"] = "float32";
        AddWeights(name, weights);
        return new JsonObject { ["class_name"] = className, ["config"] = config };
    }

    public static JsonObject Sequential(string name, params JsonObject[] layers) => new()
    {
        ["class_name"] = "Sequential",
        ["config"] = new JsonObject { ["name"] = name, ["layers"] = new JsonArray(layers.Select(l => (JsonNode)l).ToArray()) },
    };

    /// <summary>Writes a functional model with the given output layers; returns the model.json path.</summary>
    public string SaveFunctional(string folder, params string[] outputs)
    {
        var config = new JsonObject
        {
            ["class_name"] = "Functional",
            ["config"] = new JsonObject
            {
                ["name"] = "model",
                ["layers"] = _layers.DeepClone(),
                ["input_layers"] = _inputs.DeepClone(),
                ["output_layers"] = new JsonArray(outputs.Select(o => (JsonNode)new JsonArray(o, 0, 0)).ToArray()),
            },
        };
        return Save(folder, config);
    }

    /// <summary>Writes <paramref name="model"/> (e.g. from <see cref="Sequential"/>); returns the model.json path.</summary>
    public string Save(string folder, JsonObject model)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "group1-shard1of1.bin"), _shard.ToArray());
        var root = new JsonObject
        {
            ["format"] = "layers-model",
            ["generatedBy"] = "keras v2.10.0",
            ["convertedBy"] = "TensorFlow.js Converter v1.2.6",
            ["modelTopology"] = new JsonObject { ["keras_version"] = "2.10.0", ["backend"] = "tensorflow", ["model_config"] = model },
            ["weightsManifest"] = new JsonArray(new JsonObject
            {
                ["paths"] = new JsonArray("group1-shard1of1.bin"),
                ["weights"] = _weights.DeepClone(),
            }),
        };
        var path = Path.Combine(folder, "model.json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    public static JsonArray Ints(params int[] values) => new(values.Select(v => (JsonNode)v).ToArray());

    private void AddWeights(string layer, W[] weights)
    {
        foreach (var w in weights)
        {
            var count = w.Shape.Aggregate(1L, (a, b) => a * b);
            var values = new float[count];
            for (var i = 0; i < count; i++)
            {
                values[i] = (float)(w.Min + (w.Max - w.Min) * _random.NextDouble());
            }
            var bytes = new byte[values.Length * 4];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            _shard.Write(bytes);
            _weights.Add(new JsonObject
            {
                ["name"] = $"{layer}/{w.Name}",
                ["shape"] = new JsonArray(w.Shape.Select(d => (JsonNode)d).ToArray()),
                ["dtype"] = "float32",
            });
        }
    }

    private static JsonArray Shape(int?[] dims) => new(dims.Select(d => d is { } v ? (JsonNode)v : null).ToArray());
}
