using System.Buffers.Binary;
using Google.Protobuf;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Quantization;

/// <summary>Reads and builds the initializers quantization works with (float weights in, int8/int32/float tensors out).</summary>
internal static class TensorData
{
    public static bool IsFloat(TensorProto tensor) => tensor.DataType == (int)TensorProto.Types.DataType.Float;

    /// <summary>The elements of a float tensor, from raw_data (little-endian) or float_data.</summary>
    public static float[] Floats(TensorProto tensor)
    {
        if (!IsFloat(tensor))
        {
            throw new InvalidOperationException($"tensor '{tensor.Name}' is not float.");
        }
        if (tensor.HasRawData && tensor.RawData.Length > 0)
        {
            var raw = tensor.RawData.Span;
            var values = new float[raw.Length / 4];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * 4, 4));
            }
            return values;
        }
        return tensor.FloatData.ToArray();
    }

    public static TensorProto Float(string name, float[] values, params long[] dims) =>
        Make(name, TensorProto.Types.DataType.Float, dims, values.Length * 4,
            (span, i) => BinaryPrimitives.WriteSingleLittleEndian(span.Slice(i * 4, 4), values[i]), values.Length);

    public static TensorProto Int8(string name, sbyte[] values, params long[] dims) =>
        Make(name, TensorProto.Types.DataType.Int8, dims, values.Length, (span, i) => span[i] = unchecked((byte)values[i]), values.Length);

    public static TensorProto Uint8(string name, byte[] values, params long[] dims) =>
        Make(name, TensorProto.Types.DataType.Uint8, dims, values.Length, (span, i) => span[i] = values[i], values.Length);

    public static TensorProto Int32(string name, int[] values, params long[] dims) =>
        Make(name, TensorProto.Types.DataType.Int32, dims, values.Length * 4,
            (span, i) => BinaryPrimitives.WriteInt32LittleEndian(span.Slice(i * 4, 4), values[i]), values.Length);

    public static TensorProto Int64(string name, long[] values, params long[] dims) =>
        Make(name, TensorProto.Types.DataType.Int64, dims, values.Length * 8,
            (span, i) => BinaryPrimitives.WriteInt64LittleEndian(span.Slice(i * 8, 8), values[i]), values.Length);

    private delegate void Writer(Span<byte> span, int index);

    private static TensorProto Make(string name, TensorProto.Types.DataType type, long[] dims, int bytes, Writer write, int count)
    {
        var buffer = new byte[bytes];
        for (var i = 0; i < count; i++)
        {
            write(buffer, i);
        }
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(buffer) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }
}
