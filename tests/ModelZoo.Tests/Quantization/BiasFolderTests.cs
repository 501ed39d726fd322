using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;
using ModelZoo.Quantization;
using ModelZoo.Runtime;

namespace ModelZoo.Tests.Quantization;

public sealed class BiasFolderTests
{
    [Fact]
    public void A_per_channel_add_behind_a_transpose_to_nhwc_becomes_the_conv_bias_with_the_same_outputs()
    {
        var model = ConvTransposeAdd(addDims: [4]);
        var before = Run(model);

        var folded = model.Clone();
        Assert.Equal(1, BiasFolder.Fold(folded.Graph));

        Assert.DoesNotContain(folded.Graph.Node, n => n.OpType == "Add");
        var conv = folded.Graph.Node.Single(n => n.OpType == "Conv");
        Assert.Equal(3, conv.Input.Count);
        Assert.Equal([0.5f, -1f, 2f, 0.25f], TensorData.Floats(folded.Graph.Initializer.Single(t => t.Name == conv.Input[2])));
        var after = Run(folded);
        Assert.Equal(before.Length, after.Length);
        for (var i = 0; i < before.Length; i++)
        {
            Assert.Equal(before[i], after[i], 1e-5f);
        }
    }

    [Fact]
    public void An_add_that_is_not_per_channel_in_the_layout_it_meets_is_left_alone()
    {
        // [1, 4, 1, 1] behind a Transpose to NHWC broadcasts over height, not over the Conv's channels.
        var model = ConvTransposeAdd(addDims: [1, 4, 1, 1]);

        Assert.Equal(0, BiasFolder.Fold(model.Graph));
        Assert.Contains(model.Graph.Node, n => n.OpType == "Add");
    }

    private static float[] Run(ModelProto model)
    {
        using var session = ModelSession.Open(OnnxModel.FromProto(model).ToBytes());
        var input = Enumerable.Range(0, 3 * 4 * 4).Select(i => (i % 7) * 0.3f - 0.8f).ToArray();
        return session.Run("x", input, [1, 3, 4, 4])[0].AsFloats();
    }

    /// <summary>x [1,3,4,4] → Conv (no bias) → Transpose to NHWC → Add(b) → Transpose back, as TensorFlow imports write a biased Conv.</summary>
    private static ModelProto ConvTransposeAdd(long[] addDims)
    {
        var graph = new GraphProto { Name = "bias" };
        graph.Input.Add(Info("x", 1, 3, 4, 4));
        graph.Output.Add(Info("z", 1, 4, 4, 4));
        var w = new TensorProto { Name = "w", DataType = (int)TensorProto.Types.DataType.Float, Dims = { 4, 3, 1, 1 } };
        w.FloatData.AddRange(Enumerable.Range(0, 12).Select(i => 0.1f * (i - 5)));
        graph.Initializer.Add(w);
        var b = new TensorProto { Name = "b", DataType = (int)TensorProto.Types.DataType.Float };
        b.Dims.AddRange(addDims);
        b.FloatData.AddRange([0.5f, -1f, 2f, 0.25f]);
        graph.Initializer.Add(b);
        graph.Node.Add(new NodeProto { OpType = "Conv", Name = "conv", Input = { "x", "w" }, Output = { "c" } });
        graph.Node.Add(Transpose("to_nhwc", "c", "t", 0, 2, 3, 1));
        graph.Node.Add(new NodeProto { OpType = "Add", Name = "bias_add", Input = { "t", "b" }, Output = { "a" } });
        graph.Node.Add(Transpose("to_nchw", "a", "z", 0, 3, 1, 2));
        var model = new ModelProto { IrVersion = 7, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model;
    }

    private static NodeProto Transpose(string name, string input, string output, params long[] perm) => new()
    {
        OpType = "Transpose", Name = name, Input = { input }, Output = { output },
        Attribute = { new AttributeProto { Name = "perm", Type = AttributeProto.Types.AttributeType.Ints, Ints = { perm } } },
    };

    private static ValueInfoProto Info(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
