using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;
using ModelZoo.Runtime;
using ModelZoo.Training.FineTuning.Gradients;

namespace ModelZoo.Training.Tests.FineTuning.Gradients;

/// <summary>Builds small opset-14 graphs for gradient checks and runs them in ONNX Runtime.</summary>
internal sealed class TestGraph
{
    private readonly ModelProto _model = new() { IrVersion = 8, Graph = new GraphProto { Name = "test" } };
    private readonly Dictionary<string, (float[] Data, long[] Shape)> _inputs = new(StringComparer.Ordinal);

    public TestGraph()
    {
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 14 });
    }

    public static readonly SessionSettings Settings = new() { DynamicBatch = false, IntraOpThreads = 1 };

    public IReadOnlyDictionary<string, (float[] Data, long[] Shape)> Inputs => _inputs;

    public string Output { get; private set; } = "";

    /// <summary>A fed input with random values in [-1, 1] pushed at least <paramref name="margin"/> away from each of <paramref name="kinks"/>.</summary>
    public TestGraph Input(string name, long[] shape, int seed, float scale = 1f, float margin = 0f, params float[] kinks)
    {
        var data = Random(shape, seed, scale);
        for (var i = 0; i < data.Length; i++)
        {
            foreach (var k in kinks)
            {
                if (Math.Abs(data[i] - k) < margin)
                {
                    data[i] = data[i] >= k ? k + margin : k - margin;
                }
            }
        }

        _inputs[name] = (data, shape);
        _model.Graph.Input.Add(GraphEmitter.FloatValue(name, shape.Select(GraphEmitter.Dim).ToArray()));
        return this;
    }

    public TestGraph Constant(string name, float[] values, params long[] dims)
    {
        _model.Graph.Initializer.Add(GraphEmitter.FloatTensor(name, values, dims));
        return this;
    }

    public TestGraph Longs(string name, params long[] values)
    {
        var t = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.Add(values.Length);
        t.Int64Data.Add(values);
        _model.Graph.Initializer.Add(t);
        return this;
    }

    public TestGraph Node(string op, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = output + "_node" };
        node.Input.Add(inputs);
        node.Output.Add(output);
        node.Attribute.Add(attributes);
        _model.Graph.Node.Add(node);
        Output = output;
        return this;
    }

    public ModelProto Forward()
    {
        var model = _model.Clone();
        model.Graph.Output.Add(GraphEmitter.FloatValue(Output));
        return model;
    }

    public IReadOnlyList<NamedTensor> Feeds(IReadOnlyDictionary<string, float[]>? replace = null) =>
        _inputs.Select(kv => new NamedTensor(kv.Key, replace?.GetValueOrDefault(kv.Key) ?? kv.Value.Data, kv.Value.Shape)).ToList();

    public static float[] Random(long[] shape, int seed, float scale = 1f)
    {
        var random = new Random(seed);
        var data = new float[shape.Aggregate(1L, (n, d) => n * d)];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)((random.NextDouble() * 2) - 1) * scale;
        }

        return data;
    }

    public static ModelSession Open(ModelProto model) => ModelSession.Open(OnnxModel.FromProto(model), Settings);
}
