using Google.Protobuf;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Import.Tfjs;

/// <summary>A tensor whose value is known at import time: a weight, or the result of folding a shape computation.
/// <see cref="Data"/> is a <c>float[]</c>, <c>int[]</c>, <c>long[]</c> or <c>bool[]</c> matching <see cref="Type"/>.</summary>
internal sealed class ConstTensor
{
    public ConstTensor(TensorType type, long[] shape, Array data)
    {
        Type = type;
        Shape = shape;
        Data = data;
        var expected = Shapes.ElementCount(shape);
        if (expected != data.Length)
        {
            throw new InvalidOperationException($"A constant of shape [{string.Join(",", shape)}] needs {expected} values, not {data.Length}.");
        }
    }

    public TensorType Type { get; }

    public long[] Shape { get; }

    public Array Data { get; }

    public int Length => Data.Length;

    public static ConstTensor Floats(long[] shape, float[] values) => new(TensorType.Float, shape, values);

    public static ConstTensor Ints(long[] shape, int[] values) => new(TensorType.Int32, shape, values);

    public static ConstTensor Longs(long[] shape, long[] values) => new(TensorType.Int64, shape, values);

    public static ConstTensor Vector(params long[] values) => Longs([values.Length], values);

    public static ConstTensor Scalar(TensorType type, double value) => type switch
    {
        TensorType.Float => Floats([], [(float)value]),
        TensorType.Int32 => Ints([], [(int)value]),
        TensorType.Int64 => Longs([], [(long)value]),
        TensorType.Bool => new ConstTensor(TensorType.Bool, [], new[] { value != 0 }),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>The values as 64-bit integers (integer and boolean tensors; floats are truncated).</summary>
    public long[] ToLongs() => Data switch
    {
        long[] l => l,
        int[] i => Array.ConvertAll(i, v => (long)v),
        bool[] b => Array.ConvertAll(b, v => v ? 1L : 0L),
        float[] f => Array.ConvertAll(f, v => (long)v),
        _ => throw new InvalidOperationException("Unknown constant storage."),
    };

    /// <summary>The values as doubles.</summary>
    public double[] ToDoubles() => Data switch
    {
        long[] l => Array.ConvertAll(l, v => (double)v),
        int[] i => Array.ConvertAll(i, v => (double)v),
        bool[] b => Array.ConvertAll(b, v => v ? 1d : 0d),
        float[] f => Array.ConvertAll(f, v => (double)v),
        _ => throw new InvalidOperationException("Unknown constant storage."),
    };

    /// <summary>Converts to another element type with TensorFlow's cast rules (float to int truncates toward zero).</summary>
    public ConstTensor CastTo(TensorType type)
    {
        if (type == Type)
        {
            return this;
        }
        var d = ToDoubles();
        Array data = type switch
        {
            TensorType.Float => Array.ConvertAll(d, v => (float)v),
            TensorType.Int32 => Array.ConvertAll(d, v => (int)Math.Truncate(v)),
            TensorType.Int64 => Array.ConvertAll(d, v => (long)Math.Truncate(v)),
            TensorType.Bool => Array.ConvertAll(d, v => v != 0),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
        return new ConstTensor(type, Shape, data);
    }

    public ConstTensor Reshape(long[] shape) => new(Type, shape, Data);

    /// <summary>Makes a tensor of <paramref name="type"/> from computed doubles.</summary>
    public static ConstTensor FromDoubles(TensorType type, long[] shape, double[] values) => type switch
    {
        TensorType.Float => new ConstTensor(type, shape, Array.ConvertAll(values, v => (float)v)),
        TensorType.Int32 => new ConstTensor(type, shape, Array.ConvertAll(values, v => (int)v)),
        TensorType.Int64 => new ConstTensor(type, shape, Array.ConvertAll(values, v => (long)v)),
        TensorType.Bool => new ConstTensor(type, shape, Array.ConvertAll(values, v => v != 0)),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Transposes the data by <paramref name="perm"/> (output axis i is input axis perm[i]).</summary>
    public ConstTensor Transpose(int[] perm)
    {
        var rank = Shape.Length;
        var outShape = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            outShape[i] = Shape[perm[i]];
        }
        var inStrides = Shapes.Strides(Shape);
        var result = Array.CreateInstance(Data.GetType().GetElementType()!, Data.Length);
        var index = new long[rank];
        for (var o = 0; o < Data.Length; o++)
        {
            long src = 0;
            for (var i = 0; i < rank; i++)
            {
                src += index[i] * inStrides[perm[i]];
            }
            Array.Copy(Data, src, result, o, 1);
            for (var i = rank - 1; i >= 0; i--)
            {
                if (++index[i] < outShape[i])
                {
                    break;
                }
                index[i] = 0;
            }
        }
        return new ConstTensor(Type, outShape, result);
    }

    /// <summary>The ONNX initializer holding this value.</summary>
    public TensorProto ToProto(string name)
    {
        var proto = new TensorProto { Name = name, DataType = (int)Type };
        proto.Dims.AddRange(Shape);
        byte[] bytes;
        switch (Data)
        {
            case float[] f:
                bytes = new byte[f.Length * 4];
                Buffer.BlockCopy(f, 0, bytes, 0, bytes.Length);
                break;
            case int[] i:
                bytes = new byte[i.Length * 4];
                Buffer.BlockCopy(i, 0, bytes, 0, bytes.Length);
                break;
            case long[] l:
                bytes = new byte[l.Length * 8];
                Buffer.BlockCopy(l, 0, bytes, 0, bytes.Length);
                break;
            case bool[] b:
                bytes = Array.ConvertAll(b, v => v ? (byte)1 : (byte)0);
                break;
            default:
                throw new InvalidOperationException("Unknown constant storage.");
        }
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The TFJS importer writes little-endian ONNX initializers and needs a little-endian machine.");
        }
        proto.RawData = ByteString.CopyFrom(bytes);
        return proto;
    }
}
