using ModelZoo.Catalog;
using ModelZoo.Import;
using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;
using ModelZoo.Import.Tfjs;
using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Tests.Onnx;

public sealed class TransposeSinkerTests
{
    private const int Float = (int)TensorProto.Types.DataType.Float;

    [Fact]
    public void Transposes_move_past_a_pad_a_scalar_mul_a_relu_and_an_add_of_twin_transposes_and_the_undone_pairs_vanish()
    {
        // x, y NCHW → each to NHWC → Add → Pad (NHWC pads) → Mul by a scalar → Relu → back to NCHW: the TensorFlow layout dance.
        var graph = FloatGraph(["x", "y"], [1, 3, 4, 5], ("z", [1, 3, 6, 9]));
        graph.Initializer.Add(TestGraphs.Int64Tensor("pads", [0, 1, 2, 0, 0, 1, 2, 0], raw: true));
        graph.Initializer.Add(TestGraphs.FloatTensor("two", [2f]));
        graph.Node.Add(Transpose("x_nhwc", "x", "xt", 0, 2, 3, 1));
        graph.Node.Add(Transpose("y_nhwc", "y", "yt", 0, 2, 3, 1));
        graph.Node.Add(TestGraphs.Node("Add", ["xt", "yt"], ["sum"], "add"));
        graph.Node.Add(TestGraphs.Node("Pad", ["sum", "pads"], ["padded"], "pad"));
        graph.Node.Add(TestGraphs.Node("Mul", ["padded", "two"], ["doubled"], "mul"));
        graph.Node.Add(TestGraphs.Node("Relu", ["doubled"], ["relu"], "relu"));
        graph.Node.Add(Transpose("to_nchw", "relu", "z", 0, 3, 1, 2));
        var model = TestGraphs.Model(graph, opset: 13);
        var rng = new Random(7);
        var x = TestGraphs.RandomFloats(rng, 60);
        var y = TestGraphs.RandomFloats(rng, 60);
        var before = Run(model, x, y);

        var work = model.Proto.Clone();
        Assert.Equal(3, TransposeSinker.Sink(work.Graph));

        // The last pair wrote the graph's output: an Identity keeps its name.
        Assert.DoesNotContain(work.Graph.Node, n => n.OpType == "Transpose");
        Assert.Equal(["Add", "Pad", "Mul", "Relu", "Identity"], work.Graph.Node.Select(n => n.OpType));
        Assert.Equal(before, Run(OnnxModel.FromProto(work), x, y));
    }

    [Fact]
    public void A_transpose_that_writes_a_graph_output_or_feeds_a_node_that_is_not_element_wise_stays()
    {
        var graph = FloatGraph(["x"], [1, 3, 4, 5], ("t", [1, 4, 5, 3]), ("s", [1, 4, 5, 1]));
        graph.Initializer.Add(TestGraphs.Int64Tensor("axes", [3], raw: false));
        graph.Node.Add(Transpose("to_nhwc", "x", "t", 0, 2, 3, 1));
        graph.Node.Add(Transpose("again", "x", "u", 0, 2, 3, 1));
        graph.Node.Add(TestGraphs.Node("ReduceSum", ["u", "axes"], ["s"], "sum"));
        var work = TestGraphs.Model(graph, opset: 13).Proto.Clone();

        Assert.Equal(0, TransposeSinker.Sink(work.Graph));
        Assert.Equal(2, work.Graph.Node.Count(n => n.OpType == "Transpose"));
    }

    [Theory]
    [InlineData("coco/nanodet/detection", 6)]
    [InlineData("body/movenet/lightning", 5)]
    [InlineData("segmentation/selfie/mask", 50)]
    public async Task The_tfjs_imports_keep_only_the_transposes_that_are_not_layout(string handle, int left)
    {
        // Before the importer moved them, NanoDet held 161 Transposes, MoveNet 154 and the selfie segmenter 136: a pair
        // around every Conv. The segmenter keeps those that feed two nodes (its hard-swish reads x twice).
        // TfjsParityTests checks that the imports still answer as TensorFlow.js does.
        var settings = SharedStore.Settings;
        using var store = new ModelStore(settings);
        var local = await store.OpenAsync(ModelCatalog.Load(settings).Get(handle));
        var model = OnnxModel.Load(ImportedModelCache.RunnableModelPath(local));

        Assert.InRange(model.Proto.Graph.Node.Count(n => n.OpType == "Transpose"), 0, left);
        Assert.Equal(TfjsImporter.ImporterVersion, model.Metadata["modelzoo.importer"]);
        Assert.Equal(0, TransposeSinker.Sink(model.Proto.Clone().Graph));
    }

    private static float[] Run(OnnxModel model, float[] x, float[] y)
    {
        using var session = ModelSession.Open(model.ToBytes());
        return session.Run([new NamedTensor("x", x, [1, 3, 4, 5]), new NamedTensor("y", y, [1, 3, 4, 5])])[0].AsFloats();
    }

    /// <summary>A graph of float <paramref name="inputs"/> of one shape and the named float outputs.</summary>
    private static GraphProto FloatGraph(string[] inputs, long[] inputShape, params (string Name, long[] Shape)[] outputs)
    {
        var graph = new GraphProto { Name = "layout" };
        graph.Input.AddRange(inputs.Select(name => TestGraphs.TensorValue(name, Float, inputShape.Cast<object>().ToArray())));
        graph.Output.AddRange(outputs.Select(o => TestGraphs.TensorValue(o.Name, Float, o.Shape.Cast<object>().ToArray())));
        return graph;
    }

    private static NodeProto Transpose(string name, string input, string output, params long[] perm) => new()
    {
        OpType = "Transpose", Name = name, Input = { input }, Output = { output },
        Attribute = { new AttributeProto { Name = "perm", Type = AttributeProto.Types.AttributeType.Ints, Ints = { perm } } },
    };
}
