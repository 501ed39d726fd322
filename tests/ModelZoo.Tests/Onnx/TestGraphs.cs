using Google.Protobuf;
using ModelZoo.Onnx;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Tests.Onnx;

/// <summary>Small ONNX graphs built directly on the protobuf types, the way exporters write them.</summary>
internal static class TestGraphs
{
    public const int Float = (int)TensorProto.Types.DataType.Float;
    public const int Int64 = (int)TensorProto.Types.DataType.Int64;

    /// <summary>
    /// Conv(3→4, 3×3, pad 1) → Reshape to a hard-coded [1,-1] → Gemm(256→5) → Reshape to a constant-node
    /// [1,5,1,1] → Flatten, with batch 1 fixed in the input, the output and a recorded intermediate shape:
    /// what a fixed-batch exporter writes.
    /// </summary>
    public static OnnxModel FixedBatchConvNet()
    {
        var rng = new Random(42);
        var graph = new GraphProto { Name = "fixed_batch_convnet" };
        graph.Input.Add(TensorValue("X", Float, 1L, 3L, 8L, 8L));
        graph.Output.Add(TensorValue("Y", Float, 1L, 5L));
        graph.ValueInfo.Add(TensorValue("C", Float, 1L, 4L, 8L, 8L));
        graph.Initializer.Add(FloatTensor("W1", RandomFloats(rng, 4 * 3 * 3 * 3), 4, 3, 3, 3));
        graph.Initializer.Add(FloatTensor("B1", RandomFloats(rng, 4), 4));
        graph.Initializer.Add(FloatTensor("W2", RandomFloats(rng, 5 * 256), 5, 256));
        graph.Initializer.Add(FloatTensor("B2", RandomFloats(rng, 5), 5));
        graph.Initializer.Add(Int64Tensor("flat_shape", [1, -1], raw: true));

        var conv = Node("Conv", ["X", "W1", "B1"], ["C"], "conv");
        conv.Attribute.Add(Ints("pads", 1, 1, 1, 1));
        conv.Attribute.Add(Ints("kernel_shape", 3, 3));
        graph.Node.Add(conv);
        graph.Node.Add(Node("Reshape", ["C", "flat_shape"], ["R"], "flatten_reshape"));
        var gemm = Node("Gemm", ["R", "W2", "B2"], ["G"], "gemm");
        gemm.Attribute.Add(new AttributeProto { Name = "transB", I = 1, Type = AttributeProto.Types.AttributeType.Int });
        graph.Node.Add(gemm);
        var constant = Node("Constant", [], ["expand_shape"], "expand_shape_const");
        constant.Attribute.Add(new AttributeProto
        {
            Name = "value",
            Type = AttributeProto.Types.AttributeType.Tensor,
            T = Int64Tensor("", [1, 5, 1, 1], raw: false),
        });
        graph.Node.Add(constant);
        graph.Node.Add(Node("Reshape", ["G", "expand_shape"], ["E"], "expand_reshape"));
        graph.Node.Add(Node("Flatten", ["E"], ["Y"], "flatten"));
        return Model(graph, opset: 13);
    }

    /// <summary>Y = X + [10, 20, 30] on int64 with a symbolic batch.</summary>
    public static OnnxModel Int64AddNet()
    {
        var graph = new GraphProto { Name = "int64_add" };
        graph.Input.Add(TensorValue("X", Int64, "n", 3L));
        graph.Output.Add(TensorValue("Y", Int64, "n", 3L));
        graph.Initializer.Add(Int64Tensor("K", [10, 20, 30], raw: false));
        graph.Node.Add(Node("Add", ["X", "K"], ["Y"], "add"));
        return Model(graph, opset: 13);
    }

    public static OnnxModel Model(GraphProto graph, long opset)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "ModelZoo.Tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return OnnxModel.FromProto(model);
    }

    public static ValueInfoProto TensorValue(string name, int elementType, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(d switch
            {
                long v => new TensorShapeProto.Types.Dimension { DimValue = v },
                string s => new TensorShapeProto.Types.Dimension { DimParam = s },
                _ => throw new ArgumentException($"Dimension {d} must be long or string."),
            });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType, Shape = shape } },
        };
    }

    public static NodeProto Node(string opType, string[] inputs, string[] outputs, string name)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        return node;
    }

    public static TensorProto FloatTensor(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = Float };
        tensor.Dims.Add(dims);
        tensor.FloatData.Add(values);
        return tensor;
    }

    public static TensorProto Int64Tensor(string name, long[] values, bool raw)
    {
        var tensor = new TensorProto { Name = name, DataType = Int64 };
        tensor.Dims.Add(values.Length);
        if (raw)
        {
            var bytes = new byte[values.Length * sizeof(long)];
            for (var i = 0; i < values.Length; i++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), values[i]);
            }
            tensor.RawData = ByteString.CopyFrom(bytes);
        }
        else
        {
            tensor.Int64Data.Add(values);
        }
        return tensor;
    }

    public static float[] RandomFloats(Random rng, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }
}
