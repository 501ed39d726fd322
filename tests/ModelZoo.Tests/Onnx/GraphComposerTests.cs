using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;
using ModelZoo.Runtime;

namespace ModelZoo.Tests.Onnx;

public sealed class GraphComposerTests
{
    // prefix: y = x * 2 ; model: z = Relu(y - 1)
    private static OnnxModel Prefix() => Build("scale", "x", "y", [Node("Mul", ["x", "two"], ["y"])], [Scalar("two", 2f)]);

    private static OnnxModel MainGraph() => Build("main", "in", "out",
        [Node("Sub", ["in", "one"], ["d"]), Node("Relu", ["d"], ["out"])], [Scalar("one", 1f)]);

    [Fact]
    public void Prepended_graph_runs_prefix_then_model_and_takes_the_prefix_input()
    {
        var composed = GraphComposer.Prepend(Prefix(), MainGraph());
        Assert.Equal("x", Assert.Single(composed.Inputs).Name);
        Assert.Equal("out", Assert.Single(composed.Outputs).Name);
        using var session = ModelSession.Open(composed.ToBytes(), new SessionSettings { DynamicBatch = false });
        var result = session.Run("x", [0f, 0.25f, 1f, 3f], [1, 4])[0].AsFloats();
        Assert.Equal([0f, 0f, 1f, 5f], result);
    }

    [Fact]
    public void Names_inside_the_prefix_cannot_clash_with_the_models()
    {
        // Both graphs use an initializer called "c" with different values.
        var prefix = Build("p", "x", "y", [Node("Add", ["x", "c"], ["y"])], [Scalar("c", 10f)]);
        var main = Build("m", "in", "out", [Node("Mul", ["in", "c"], ["out"])], [Scalar("c", 3f)]);
        var composed = GraphComposer.Prepend(prefix, main);
        using var session = ModelSession.Open(composed.ToBytes(), new SessionSettings { DynamicBatch = false });
        Assert.Equal([33f], session.Run("x", [1f], [1, 1])[0].AsFloats());
    }

    [Fact]
    public void A_prefix_with_two_outputs_is_refused()
    {
        var prefix = Prefix();
        prefix.Proto.Graph.Output.Add(prefix.Proto.Graph.Output[0].Clone());
        Assert.Throws<ZooException>(() => GraphComposer.Prepend(prefix, MainGraph()));
    }

    private static NodeProto Node(string op, string[] inputs, string[] outputs)
    {
        var node = new NodeProto { OpType = op, Name = op + "_" + outputs[0] };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }

    private static TensorProto Scalar(string name, float value)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.FloatData.Add(value);
        return tensor;
    }

    private static ValueInfoProto Info(string name)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 1 });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "n" });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static OnnxModel Build(string name, string input, string output, NodeProto[] nodes, TensorProto[] initializers)
    {
        var graph = new GraphProto { Name = name };
        graph.Node.AddRange(nodes);
        graph.Initializer.AddRange(initializers);
        graph.Input.Add(Info(input));
        graph.Output.Add(Info(output));
        var model = new ModelProto { IrVersion = 7, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return OnnxModel.FromProto(model);
    }
}
