using Google.FlatBuffers;

namespace ModelZoo.Tests.Import;

/// <summary>
/// Writes small TFLite models (subgraph 0 only) with the FlatBuffers library's own builder, from the published schema's
/// field order, so that tests exercise the importer's reader against an independent writer. Tensor indices are returned
/// by the methods that declare tensors; buffer 0 is the empty buffer every TFLite file starts with.
/// </summary>
internal sealed class TfliteModelWriter
{
    /// <summary>BuiltinOperator codes from the schema, for the ops the tests build.</summary>
    private static readonly Dictionary<string, int> Builtin = new()
    {
        ["ADD"] = 0, ["AVERAGE_POOL_2D"] = 1, ["CONCATENATION"] = 2, ["CONV_2D"] = 3, ["DEPTHWISE_CONV_2D"] = 4,
        ["DEPTH_TO_SPACE"] = 5, ["DEQUANTIZE"] = 6, ["FULLY_CONNECTED"] = 9, ["LOGISTIC"] = 14, ["MAX_POOL_2D"] = 17,
        ["MUL"] = 18, ["RELU"] = 19, ["RELU6"] = 21, ["RESHAPE"] = 22, ["RESIZE_BILINEAR"] = 23, ["SOFTMAX"] = 25,
        ["CUSTOM"] = 32, ["PAD"] = 34, ["MEAN"] = 40, ["SQUEEZE"] = 43, ["PRELU"] = 54, ["TRANSPOSE_CONV"] = 67,
        ["HARD_SWISH"] = 117, ["DENSIFY"] = 124,
    };

    public const int Float32 = 0, Float16 = 1, Int32 = 2, UInt8 = 3, Int8 = 9;

    private readonly List<TensorSpec> _tensors = [];
    private readonly List<OperatorSpec> _operators = [];
    private readonly List<int> _inputs = [];
    private readonly List<int> _outputs = [];

    private sealed record TensorSpec(string Name, int[] Shape, int Type, byte[]? Data, float[]? Scale, long[]? ZeroPoint, int Axis,
        Sparse? Sparsity);

    /// <summary>A CSR sparse layout: traversal order, block map, and per dimension (dense size) or (segments, indices).</summary>
    internal sealed record Sparse(int[] TraversalOrder, int[] BlockMap, (int DenseSize, int[]? Segments, int[]? Indices)[] Dimensions);

    private sealed record OperatorSpec(string Op, string? Custom, int[] Inputs, int[] Outputs, (int Field, object Value)[]? Options, byte[]? CustomOptions);

    public int Input(string name, params int[] shape)
    {
        var index = Tensor(name, shape);
        _inputs.Add(index);
        return index;
    }

    /// <summary>Makes an already declared tensor a model input.</summary>
    public void Input0(int tensor) => _inputs.Add(tensor);

    public int Tensor(string name, params int[] shape) => Add(new TensorSpec(name, shape, Float32, null, null, null, 0, null));

    public int Floats(string name, float[] values, params int[] shape) =>
        Add(new TensorSpec(name, shape, Float32, values.SelectMany(BitConverter.GetBytes).ToArray(), null, null, 0, null));

    public int Halves(string name, Half[] values, params int[] shape) =>
        Add(new TensorSpec(name, shape, Float16, values.SelectMany(BitConverter.GetBytes).ToArray(), null, null, 0, null));

    public int Ints(string name, int[] values, params int[] shape) =>
        Add(new TensorSpec(name, shape, Int32, values.SelectMany(BitConverter.GetBytes).ToArray(), null, null, 0, null));

    public int Quantized(string name, sbyte[] values, float[] scale, long[] zeroPoint, int axis, params int[] shape) =>
        Add(new TensorSpec(name, shape, Int8, values.Select(v => (byte)v).ToArray(), scale, zeroPoint, axis, null));

    public int SparseHalves(string name, Half[] stored, Sparse sparsity, params int[] shape) =>
        Add(new TensorSpec(name, shape, Float16, stored.SelectMany(BitConverter.GetBytes).ToArray(), null, null, 0, sparsity));

    /// <summary>A tensor of any type with raw bytes (for hostile cases).</summary>
    public int Raw(string name, int type, byte[]? data, params int[] shape) => Add(new TensorSpec(name, shape, type, data, null, null, 0, null));

    public TfliteModelWriter Op(string op, int[] inputs, int[] outputs, params (int Field, object Value)[] options)
    {
        _operators.Add(new OperatorSpec(op, null, inputs, outputs, options.Length > 0 ? options : null, null));
        return this;
    }

    public TfliteModelWriter Custom(string code, int[] inputs, int[] outputs, byte[] customOptions)
    {
        _operators.Add(new OperatorSpec("CUSTOM", code, inputs, outputs, null, customOptions));
        return this;
    }

    public TfliteModelWriter Output(int tensor)
    {
        _outputs.Add(tensor);
        return this;
    }

    /// <summary>Breaks a buffer reference on purpose: tensor <see cref="BufferOverrideTensor"/> names this buffer.</summary>
    public int? BufferOverride { get; set; }

    /// <summary>The tensor whose buffer index <see cref="BufferOverride"/> replaces.</summary>
    public int BufferOverrideTensor { get; set; } = -1;

    public byte[] Build()
    {
        var b = new FlatBufferBuilder(1024);
        // Buffers: 0 is empty, then one per constant.
        var bufferOffsets = new List<int> { EmptyTable(b) };
        var tensorBuffer = new int[_tensors.Count];
        for (var i = 0; i < _tensors.Count; i++)
        {
            if (_tensors[i].Data is { } data)
            {
                var vector = ByteVector(b, data);
                b.StartTable(1);
                b.AddOffset(0, vector.Value, 0);
                tensorBuffer[i] = bufferOffsets.Count;
                bufferOffsets.Add(b.EndTable());
            }
        }
        var tensorOffsets = new List<int>();
        for (var i = 0; i < _tensors.Count; i++)
        {
            var t = _tensors[i];
            var name = b.CreateString(t.Name);
            var shape = IntVector(b, t.Shape);
            int? quantization = null;
            if (t.Scale is not null)
            {
                var scale = FloatVector(b, t.Scale);
                var zero = LongVector(b, t.ZeroPoint ?? []);
                b.StartTable(7);
                b.AddOffset(2, scale.Value, 0);
                b.AddOffset(3, zero.Value, 0);
                b.AddInt(6, t.Axis, 0);
                quantization = b.EndTable();
            }
            int? sparsity = t.Sparsity is null ? null : SparsityTable(b, t.Sparsity);
            b.StartTable(7);
            b.AddOffset(0, shape.Value, 0);
            b.AddSbyte(1, (sbyte)t.Type, 0);
            b.AddUint(2, (uint)(i == BufferOverrideTensor && BufferOverride is { } o ? o : tensorBuffer[i]), 0);
            b.AddOffset(3, name.Value, 0);
            if (quantization is { } q)
            {
                b.AddOffset(4, q, 0);
            }
            if (sparsity is { } s)
            {
                b.AddOffset(6, s, 0);
            }
            tensorOffsets.Add(b.EndTable());
        }
        var codes = new List<(string Op, string? Custom)>();
        var operatorOffsets = new List<int>();
        foreach (var op in _operators)
        {
            var key = (op.Op, op.Custom);
            var code = codes.IndexOf(key);
            if (code < 0)
            {
                code = codes.Count;
                codes.Add(key);
            }
            var inputs = IntVector(b, op.Inputs);
            var outputs = IntVector(b, op.Outputs);
            int? options = op.Options is null ? null : OptionsTable(b, op.Options);
            VectorOffset? custom = op.CustomOptions is null ? null : ByteVector(b, op.CustomOptions);
            b.StartTable(7);
            b.AddUint(0, (uint)code, 0);
            b.AddOffset(1, inputs.Value, 0);
            b.AddOffset(2, outputs.Value, 0);
            if (options is { } o)
            {
                b.AddByte(3, 1, 0); // the union type only needs to be non-zero for readers that check it
                b.AddOffset(4, o, 0);
            }
            if (custom is { } c)
            {
                b.AddOffset(5, c.Value, 0);
            }
            operatorOffsets.Add(b.EndTable());
        }
        var codeOffsets = new List<int>();
        foreach (var (op, customCode) in codes)
        {
            StringOffset? customName = customCode is null ? null : b.CreateString(customCode);
            var builtin = Builtin[op];
            b.StartTable(4);
            b.AddSbyte(0, (sbyte)Math.Min(builtin, 127), 0);
            if (customName is { } n)
            {
                b.AddOffset(1, n.Value, 0);
            }
            b.AddInt(2, 1, 0);
            b.AddInt(3, builtin, 0);
            codeOffsets.Add(b.EndTable());
        }
        var tensorsVector = OffsetVector(b, tensorOffsets);
        var subgraphInputs = IntVector(b, _inputs.ToArray());
        var subgraphOutputs = IntVector(b, _outputs.ToArray());
        var operatorsVector = OffsetVector(b, operatorOffsets);
        var graphName = b.CreateString("main");
        b.StartTable(5);
        b.AddOffset(0, tensorsVector.Value, 0);
        b.AddOffset(1, subgraphInputs.Value, 0);
        b.AddOffset(2, subgraphOutputs.Value, 0);
        b.AddOffset(3, operatorsVector.Value, 0);
        b.AddOffset(4, graphName.Value, 0);
        var subgraph = b.EndTable();
        var codesVector = OffsetVector(b, codeOffsets);
        var subgraphsVector = OffsetVector(b, [subgraph]);
        var buffersVector = OffsetVector(b, bufferOffsets);
        var description = b.CreateString("ModelZoo test model");
        b.StartTable(5);
        b.AddUint(0, 3, 0);
        b.AddOffset(1, codesVector.Value, 0);
        b.AddOffset(2, subgraphsVector.Value, 0);
        b.AddOffset(3, description.Value, 0);
        b.AddOffset(4, buffersVector.Value, 0);
        var model = b.EndTable();
        b.Finish(model, "TFL3");
        return b.SizedByteArray();
    }

    public string Save(string folder, string name = "model.tflite")
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, Build());
        return path;
    }

    private int Add(TensorSpec spec)
    {
        _tensors.Add(spec);
        return _tensors.Count - 1;
    }

    private static int EmptyTable(FlatBufferBuilder b)
    {
        b.StartTable(1);
        return b.EndTable();
    }

    private static int OptionsTable(FlatBufferBuilder b, (int Field, object Value)[] fields)
    {
        b.StartTable(fields.Max(f => f.Field) + 1);
        foreach (var (field, value) in fields)
        {
            switch (value)
            {
                case int i:
                    b.AddInt(field, i, int.MinValue);
                    break;
                case byte by:
                    b.AddByte(field, by, 255);
                    break;
                case bool bo:
                    b.AddBool(field, bo, !bo);
                    break;
                case float f:
                    b.AddFloat(field, f, float.NaN);
                    break;
                default:
                    throw new ArgumentException($"option type {value.GetType()}");
            }
        }
        return b.EndTable();
    }

    private static int SparsityTable(FlatBufferBuilder b, Sparse sparse)
    {
        var dims = new List<int>();
        foreach (var (denseSize, segments, indices) in sparse.Dimensions)
        {
            int? seg = null, idx = null;
            if (segments is not null && indices is not null)
            {
                var segVector = IntVector(b, segments);
                b.StartTable(1);
                b.AddOffset(0, segVector.Value, 0);
                seg = b.EndTable();
                var idxVector = ByteVector(b, indices.Select(v => (byte)v).ToArray());
                b.StartTable(1);
                b.AddOffset(0, idxVector.Value, 0);
                idx = b.EndTable();
            }
            b.StartTable(6);
            b.AddSbyte(0, (sbyte)(seg is null ? 0 : 1), 0);
            b.AddInt(1, denseSize, 0);
            if (seg is { } s && idx is { } x)
            {
                b.AddByte(2, 1, 0); // Int32Vector segments
                b.AddOffset(3, s, 0);
                b.AddByte(4, 3, 0); // Uint8Vector indices, as the MediaPipe sparse model stores them
                b.AddOffset(5, x, 0);
            }
            dims.Add(b.EndTable());
        }
        var order = IntVector(b, sparse.TraversalOrder);
        var blocks = IntVector(b, sparse.BlockMap);
        var dimsVector = OffsetVector(b, dims);
        b.StartTable(3);
        b.AddOffset(0, order.Value, 0);
        b.AddOffset(1, blocks.Value, 0);
        b.AddOffset(2, dimsVector.Value, 0);
        return b.EndTable();
    }

    private static VectorOffset IntVector(FlatBufferBuilder b, int[] values)
    {
        b.StartVector(4, values.Length, 4);
        for (var i = values.Length - 1; i >= 0; i--)
        {
            b.AddInt(values[i]);
        }
        return b.EndVector();
    }

    private static VectorOffset LongVector(FlatBufferBuilder b, long[] values)
    {
        b.StartVector(8, values.Length, 8);
        for (var i = values.Length - 1; i >= 0; i--)
        {
            b.AddLong(values[i]);
        }
        return b.EndVector();
    }

    private static VectorOffset FloatVector(FlatBufferBuilder b, float[] values)
    {
        b.StartVector(4, values.Length, 4);
        for (var i = values.Length - 1; i >= 0; i--)
        {
            b.AddFloat(values[i]);
        }
        return b.EndVector();
    }

    private static VectorOffset ByteVector(FlatBufferBuilder b, byte[] values)
    {
        b.StartVector(1, values.Length, 16);
        for (var i = values.Length - 1; i >= 0; i--)
        {
            b.AddByte(values[i]);
        }
        return b.EndVector();
    }

    private static VectorOffset OffsetVector(FlatBufferBuilder b, List<int> offsets)
    {
        b.StartVector(4, offsets.Count, 4);
        for (var i = offsets.Count - 1; i >= 0; i--)
        {
            b.AddOffset(offsets[i]);
        }
        return b.EndVector();
    }
}
