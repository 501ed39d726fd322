using System.Text;

namespace ModelZoo.Import.Tflite;

/// <summary>
/// Subgraph 0 of a TFLite FlatBuffer (<c>TFL3</c>), read from the published schema's field order: tensors, operators,
/// buffers, inputs and outputs. Every index the file holds is checked here (tensor, buffer, opcode), so the translation
/// never meets a dangling reference; a violation is a <see cref="FlatBufferException"/> naming the offending field.
/// </summary>
internal sealed class TfliteModel
{
    private readonly byte[] _file;
    private readonly (long Start, long Length)[] _buffers;

    private TfliteModel(byte[] file, int version, string? description, int subgraphCount, IReadOnlyList<TfliteTensor> tensors,
        IReadOnlyList<TfliteOperator> operators, int[] inputs, int[] outputs, (long, long)[] buffers)
    {
        _file = file;
        Version = version;
        Description = description;
        SubgraphCount = subgraphCount;
        Tensors = tensors;
        Operators = operators;
        Inputs = inputs;
        Outputs = outputs;
        _buffers = buffers;
    }

    /// <summary>The file identifier every TFLite model carries at bytes 4–7.</summary>
    public const string Identifier = "TFL3";

    public int Version { get; }

    public string? Description { get; }

    public int SubgraphCount { get; }

    public IReadOnlyList<TfliteTensor> Tensors { get; }

    public IReadOnlyList<TfliteOperator> Operators { get; }

    public int[] Inputs { get; }

    public int[] Outputs { get; }

    /// <summary>True when <paramref name="bytes"/> start like a TFLite FlatBuffer (the identifier at bytes 4–7).</summary>
    public static bool HasIdentifier(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 8 && bytes[4..8].SequenceEqual("TFL3"u8);

    /// <summary>The bytes of buffer <paramref name="index"/>; empty for buffer 0 and for tensors computed at run time.</summary>
    public ReadOnlySpan<byte> Buffer(int index)
    {
        var (start, length) = _buffers[index];
        return _file.AsSpan((int)start, (int)length);
    }

    public static TfliteModel Read(byte[] file)
    {
        if (file.Length < 8)
        {
            throw new FlatBufferException($"the file has {file.Length} bytes, too few for a FlatBuffer header");
        }
        if (!HasIdentifier(file))
        {
            throw new FlatBufferException($"bytes 4-7 are '{Printable(file.AsSpan(4, 4))}', not the TFLite identifier '{Identifier}'");
        }
        var root = FlatTable.Root(file, "the model table");
        var version = (int)root.UInt(0);
        var codes = root.Tables(1, "operator_codes").Select((c, i) => OperatorName(c, i)).ToArray();
        var subgraphs = root.Tables(2, "subgraphs");
        if (subgraphs.Length == 0)
        {
            throw new FlatBufferException("the model has no subgraph");
        }
        var description = root.String(3, "description");
        var bufferTables = root.Tables(4, "buffers");
        var buffers = new (long, long)[bufferTables.Length];
        for (var i = 0; i < buffers.Length; i++)
        {
            buffers[i] = BufferRange(file, bufferTables[i], i);
        }
        var graph = subgraphs[0];
        var tensorTables = graph.Tables(0, "subgraphs[0].tensors");
        var tensors = new TfliteTensor[tensorTables.Length];
        for (var i = 0; i < tensors.Length; i++)
        {
            tensors[i] = ReadTensor(tensorTables[i], i, buffers.Length);
        }
        int[] Indices(int[] values, string what, bool optional)
        {
            foreach (var v in values)
            {
                if (v >= tensors.Length || v < (optional ? -1 : 0))
                {
                    throw new FlatBufferException($"{what} names tensor {v}, but the subgraph has {tensors.Length} tensors");
                }
            }
            return values;
        }
        var inputs = Indices(graph.Ints(1, "subgraphs[0].inputs"), "subgraphs[0].inputs", optional: false);
        var outputs = Indices(graph.Ints(2, "subgraphs[0].outputs"), "subgraphs[0].outputs", optional: false);
        var operatorTables = graph.Tables(3, "subgraphs[0].operators");
        var operators = new TfliteOperator[operatorTables.Length];
        for (var i = 0; i < operators.Length; i++)
        {
            var table = operatorTables[i];
            var what = $"operator {i}";
            var code = table.UInt(0);
            if (code >= codes.Length)
            {
                throw new FlatBufferException($"{what} uses opcode {code}, but the model lists {codes.Length} operator codes");
            }
            var (name, custom) = codes[code];
            operators[i] = new TfliteOperator(i, name, custom,
                Indices(table.Ints(1, what + " inputs"), what + " inputs", optional: true),
                Indices(table.Ints(2, what + " outputs"), what + " outputs", optional: false),
                table.Table(4, what + " options"),
                table.VectorBytes(5, 1, what + " custom options")?.ToArray() ?? []);
        }
        return new TfliteModel(file, version, description, subgraphs.Length, tensors, operators, inputs, outputs, buffers);
    }

    private static (string Name, bool Custom) OperatorName(FlatTable code, int index)
    {
        var builtin = Math.Max(code.SByte(0), code.Int(3));
        if (builtin == TfliteOperatorNames.Custom)
        {
            var custom = code.String(1, $"operator_codes[{index}].custom_code");
            return (string.IsNullOrEmpty(custom) ? "CUSTOM" : custom, true);
        }
        return (TfliteOperatorNames.Name(builtin), false);
    }

    private static (long, long) BufferRange(byte[] file, FlatTable buffer, int index)
    {
        var what = $"buffers[{index}]";
        if (buffer.VectorBytes(0, 1, what + ".data") is { } data)
        {
            return System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out var segment)
                ? (segment.Offset, segment.Count)
                : throw new FlatBufferException($"{what} cannot be read");
        }
        // Files over 2 GB keep buffers after the FlatBuffer, addressed from the start of the file.
        var offset = buffer.ULong(1);
        var size = buffer.ULong(2);
        if (offset > 1 && (offset > (ulong)file.Length || size > (ulong)file.Length - offset))
        {
            throw new FlatBufferException($"{what} spans bytes {offset}..{offset + size}, past the end of the {file.Length}-byte file");
        }
        return offset > 1 ? ((long)offset, (long)size) : (0, 0);
    }

    private static TfliteTensor ReadTensor(FlatTable table, int index, int bufferCount)
    {
        var what = $"tensor {index}";
        var name = table.String(3, what + " name") ?? $"tensor_{index}";
        var shape = table.Ints(0, what + " shape").Select(d => (long)d).ToArray();
        if (shape.Any(d => d < 0))
        {
            throw new FlatBufferException($"{what} ('{name}') has a negative dimension in its shape [{string.Join(",", shape)}]");
        }
        var buffer = table.UInt(2);
        if (buffer >= bufferCount && !(buffer == 0 && bufferCount == 0))
        {
            throw new FlatBufferException($"{what} ('{name}') names buffer {buffer}, but the model has {bufferCount} buffers");
        }
        TfliteQuantization? quantization = null;
        if (table.Table(4, what + " quantization") is { } q)
        {
            var scale = q.Floats(2, what + " scale");
            if (scale.Length > 0)
            {
                quantization = new TfliteQuantization(scale, q.Longs(3, what + " zero_point"), q.Int(6));
            }
        }
        TfliteSparsity? sparsity = null;
        if (table.Table(6, what + " sparsity") is { } s)
        {
            var dims = s.Tables(2, what + " dim_metadata").Select((d, i) => new TfliteDimension(
                d.Byte(0) == 1, d.Int(1), IndexVector(d, 2, $"{what} dim_metadata[{i}].array_segments"),
                IndexVector(d, 4, $"{what} dim_metadata[{i}].array_indices"))).ToArray();
            sparsity = new TfliteSparsity(s.Ints(0, what + " traversal_order"), s.Ints(1, what + " block_map"), dims);
        }
        return new TfliteTensor(index, name, shape, table.Byte(1), (int)buffer, quantization, sparsity);
    }

    /// <summary>A <c>SparseIndexVector</c> union (type field <paramref name="typeId"/>, value field typeId + 1).</summary>
    private static int[] IndexVector(FlatTable dimension, int typeId, string what)
    {
        var type = dimension.Byte(typeId);
        if (type == 0)
        {
            return [];
        }
        var table = dimension.Table(typeId + 1, what) ?? throw new FlatBufferException($"{what} is declared but missing");
        switch (type)
        {
            case 1:
                return table.Ints(0, what);
            case 2:
            {
                var bytes = (table.VectorBytes(0, 2, what) ?? ReadOnlyMemory<byte>.Empty).Span;
                var result = new int[bytes.Length / 2];
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = bytes[2 * i] | (bytes[2 * i + 1] << 8);
                }
                return result;
            }
            case 3:
                return (table.VectorBytes(0, 1, what)?.ToArray() ?? []).Select(b => (int)b).ToArray();
            default:
                throw new FlatBufferException($"{what} has unknown index vector type {type}");
        }
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder();
        foreach (var b in bytes)
        {
            sb.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
        }
        return sb.ToString();
    }
}
