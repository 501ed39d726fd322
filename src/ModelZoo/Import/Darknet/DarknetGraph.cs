using System.Runtime.InteropServices;
using Google.Protobuf;
using ModelZoo.Import.Tfjs;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Import.Darknet;

/// <summary>A tensor of the translated graph with its Darknet shape (batch 1, channels × height × width).</summary>
internal readonly record struct DarknetValue(string Name, int C, int H, int W)
{
    public long Count => (long)C * H * W;
}

/// <summary>Builds the ONNX graph: float32 initializers, nodes with unique names, and typed inputs and outputs.</summary>
internal sealed class DarknetGraph
{
    private int _next;

    public GraphProto Graph { get; } = new();

    /// <summary>A fresh tensor name with a readable prefix (the cfg layer index).</summary>
    public string Fresh(string prefix) => $"{prefix}/{_next++}";

    public string Floats(string prefix, float[] values, params long[] shape)
    {
        var name = Fresh(prefix);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(shape);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        Graph.Initializer.Add(tensor);
        return name;
    }

    public string Longs(string prefix, params long[] values)
    {
        var name = Fresh(prefix);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        Graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string Node(string op, string prefix, IEnumerable<string> inputs, params AttributeProto[] attributes) =>
        NodeMulti(op, prefix, inputs, 1, attributes)[0];

    public string[] NodeMulti(string op, string prefix, IEnumerable<string> inputs, int outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = Fresh(prefix + "/" + op) };
        node.Input.AddRange(inputs);
        var names = new string[outputs];
        for (var i = 0; i < outputs; i++)
        {
            names[i] = Fresh(prefix);
            node.Output.Add(names[i]);
        }
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return names;
    }

    public string Reshape(string prefix, string input, params long[] shape) =>
        Node("Reshape", prefix, [input, Longs(prefix + "/shape", shape)]);

    /// <summary>Copies <paramref name="value"/> into a graph output called <paramref name="name"/>.</summary>
    public void Output(string name, string value, params long[] shape)
    {
        var node = new NodeProto { OpType = "Identity", Name = Fresh("output/" + name) };
        node.Input.Add(value);
        node.Output.Add(name);
        Graph.Node.Add(node);
        Graph.Output.Add(OnnxGraphWriter.ValueInfo(name, TensorType.Float, shape));
    }
}
