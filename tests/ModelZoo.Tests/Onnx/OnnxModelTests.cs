using System.Buffers.Binary;
using System.Security.Cryptography;
using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;
using ModelZoo.Runtime;

namespace ModelZoo.Tests.Onnx;

public sealed class OnnxModelTests
{
    [Fact]
    public void Load_MobileNetInt8_ReportsOpsetsIoAndParameters()
    {
        var model = OnnxModel.Load(TestAssets.SharedTestData("imagenet/mobilenetv2-12-int8.onnx"));

        Assert.Equal(7, model.IrVersion);
        Assert.Equal(12, model.Opsets[""]);
        Assert.True(model.Opsets.ContainsKey("com.microsoft"));
        Assert.Equal("onnx.quantize", model.ProducerName);
        var input = Assert.Single(model.Inputs);
        Assert.Equal("input", input.Name);
        Assert.Equal("float", input.ElementType);
        Assert.Equal([new OnnxDim(null, "batch_size"), new(3, null), new(224, null), new(224, null)], input.Shape);
        Assert.Equal("input: float[batch_size,3,224,224]", input.ToString());
        var output = Assert.Single(model.Outputs);
        Assert.Equal(1000, output.Shape[^1].Value);
        Assert.True(model.ParameterCount > 3_000_000, $"parameter count {model.ParameterCount}");
        Assert.Equal(model.NodeCount, model.OperatorCounts.Values.Sum());
        Assert.Equal(52, model.OperatorCounts["QLinearConv"]);
        Assert.Equal(11, model.OperatorCounts["com.microsoft:QLinearAdd"]);
    }

    [Fact]
    public void ToBytes_UnmodifiedMobileNet_IsByteIdenticalToTheFile()
    {
        var path = TestAssets.SharedTestData("imagenet/mobilenetv2-12-int8.onnx");
        var original = File.ReadAllBytes(path);
        var model = OnnxModel.Load(path);

        var written = model.ToBytes();

        Assert.Equal(SHA256.HashData(original), SHA256.HashData(written));
        var reparsed = OnnxModel.Parse(written);
        Assert.Equal(model.Proto.Graph, reparsed.Proto.Graph);
        Assert.Equal(model.Proto, reparsed.Proto);
    }

    [Fact]
    public void Save_ThenLoad_KeepsMetadataEdits()
    {
        var model = OnnxModel.Load(TestAssets.SharedTestData("imagenet/mobilenetv2-12-int8.onnx"));
        Assert.Empty(model.Metadata);
        model.Metadata["modelzoo.labels"] = "imagenet1k";
        model.Metadata.Add("modelzoo.handle", "mobilenet_v2_int8");
        model.Metadata["modelzoo.labels"] = "imagenet-1k";
        var path = Path.Combine(Path.GetTempPath(), $"modelzoo-onnx-{Guid.NewGuid():N}.onnx");
        try
        {
            model.Save(path);
            var loaded = OnnxModel.Load(path);

            Assert.Equal(2, loaded.Metadata.Count);
            Assert.Equal("imagenet-1k", loaded.Metadata["modelzoo.labels"]);
            Assert.Equal("mobilenet_v2_int8", loaded.Metadata["modelzoo.handle"]);
            Assert.True(loaded.Metadata.Remove("modelzoo.handle"));
            Assert.False(loaded.Metadata.ContainsKey("modelzoo.handle"));
            Assert.Equal(model.Proto.Graph, loaded.Proto.Graph);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_TextFile_ThrowsModelLoadExceptionNamingThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"modelzoo-not-onnx-{Guid.NewGuid():N}.onnx");
        File.WriteAllText(path, "this is a README, not a neural network\n");
        try
        {
            var ex = Assert.Throws<ModelLoadException>(() => OnnxModel.Load(path));

            Assert.Equal("model-load", ex.Code);
            Assert.Contains(path, ex.Message);
            Assert.Contains("not an ONNX model", ex.Message);
            Assert.Equal(path, ex.ModelPath);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Parse_TruncatedModel_ThrowsModelLoadException()
    {
        var bytes = File.ReadAllBytes(TestAssets.SharedTestData("imagenet/mobilenetv2-12-int8.onnx"));

        var ex = Assert.Throws<ModelLoadException>(() => OnnxModel.Parse(bytes.AsSpan(0, bytes.Length / 2)));

        Assert.Contains("not an ONNX model", ex.Message);
    }

    [Fact]
    public void Load_MissingFile_ThrowsModelLoadException()
    {
        var path = Path.Combine(Path.GetTempPath(), $"modelzoo-missing-{Guid.NewGuid():N}.onnx");

        var ex = Assert.Throws<ModelLoadException>(() => OnnxModel.Load(path));

        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void MakeBatchDynamic_FixedBatchGraph_RewritesShapesAndReshapeTargets()
    {
        var model = TestGraphs.FixedBatchConvNet();

        model.MakeBatchDynamic("N");

        Assert.Equal("X: float[N,3,8,8]", model.Inputs[0].ToString());
        Assert.Equal("Y: float[N,5]", model.Outputs[0].ToString());
        var recorded = OnnxModel.Describe(model.Proto.Graph.ValueInfo.Single(v => v.Name == "C"));
        Assert.Equal("C: float[?,4,8,8]", recorded.ToString());
        // [1,-1] already infers one axis, so the batch is copied from the input (0).
        Assert.Equal([0, -1], ShapeFedTo(model, "flatten_reshape"));
        // [1,5,1,1] came from a Constant node: the Reshape gets its own initializer with -1 for the batch.
        Assert.Equal([-1, 5, 1, 1], ShapeFedTo(model, "expand_reshape"));
        var constant = model.Proto.Graph.Node.Single(n => n.OpType == "Constant");
        Assert.Equal([1, 5, 1, 1], constant.Attribute[0].T.Int64Data);
    }

    [Fact]
    public void MakeBatchDynamic_ShapeShared_CopiesInsteadOfEditingInPlace()
    {
        var graph = new GraphProto { Name = "shared_shape" };
        graph.Input.Add(TestGraphs.TensorValue("X", TestGraphs.Float, 1L, 6L));
        graph.Output.Add(TestGraphs.TensorValue("Y", TestGraphs.Float, 1L, 2L, 3L));
        graph.Output.Add(TestGraphs.TensorValue("S", TestGraphs.Int64, 3L));
        graph.Initializer.Add(TestGraphs.Int64Tensor("target", [1, 2, 3], raw: true));
        graph.Node.Add(TestGraphs.Node("Reshape", ["X", "target"], ["Y"], "reshape"));
        graph.Node.Add(TestGraphs.Node("Identity", ["target"], ["S"], "expose_target"));
        var model = TestGraphs.Model(graph, opset: 13);

        model.MakeBatchDynamic();

        Assert.Equal([1, 2, 3], ReadInt64s(model.Proto.Graph.Initializer.Single(t => t.Name == "target")));
        Assert.Equal([-1, 2, 3], ShapeFedTo(model, "reshape"));
        Assert.NotEqual("target", model.Proto.Graph.Node.Single(n => n.Name == "reshape").Input[1]);
        // The int64 output of length 3 is not batch-shaped and keeps its fixed size.
        Assert.Equal("S: int64[3]", model.Outputs[1].ToString());
        Assert.Equal("Y: float[batch,2,3]", model.Outputs[0].ToString());
    }

    [Fact]
    public void MakeBatchDynamic_AlreadyDynamicModel_ChangesNothing()
    {
        var model = OnnxModel.Load(TestAssets.SharedTestData("imagenet/mobilenetv2-12-int8.onnx"));
        var before = model.ToBytes();

        model.MakeBatchDynamic();

        Assert.Equal(before, model.ToBytes());
    }

    private static long[] ShapeFedTo(OnnxModel model, string reshapeName)
    {
        var name = model.Proto.Graph.Node.Single(n => n.Name == reshapeName).Input[1];
        return ReadInt64s(model.Proto.Graph.Initializer.Single(t => t.Name == name));
    }

    private static long[] ReadInt64s(TensorProto tensor)
    {
        if (!tensor.HasRawData)
        {
            return tensor.Int64Data.ToArray();
        }
        var raw = tensor.RawData.ToByteArray();
        return Enumerable.Range(0, raw.Length / 8).Select(i => BinaryPrimitives.ReadInt64LittleEndian(raw.AsSpan(i * 8))).ToArray();
    }
}
