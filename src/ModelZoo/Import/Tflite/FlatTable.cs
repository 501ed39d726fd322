using System.Buffers.Binary;
using System.Text;

namespace ModelZoo.Import.Tflite;

/// <summary>
/// One FlatBuffer table, read field by field from the file bytes. Every offset is checked against the buffer before it
/// is followed, so a truncated or hostile file ends in a <see cref="FlatBufferException"/> naming what was being read,
/// never in an out-of-range read. Field ids are the schema's field order (0-based); an absent field reads as its default.
/// </summary>
internal readonly struct FlatTable
{
    private readonly byte[] _buffer;
    private readonly int _position;
    private readonly int _vtable;
    private readonly int _vtableLength;
    private readonly string _what;

    private FlatTable(byte[] buffer, int position, string what)
    {
        _buffer = buffer;
        _position = position;
        _what = what;
        Require(buffer, position, 4, what);
        var vtable = (long)position - BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(position));
        if (vtable < 0 || vtable > buffer.Length - 4)
        {
            throw new FlatBufferException($"the vtable of {what} lies outside the file");
        }
        _vtable = (int)vtable;
        _vtableLength = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(_vtable));
        var tableLength = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(_vtable + 2));
        if (_vtableLength < 4 || _vtableLength % 2 != 0 || _vtable + _vtableLength > buffer.Length || position + (long)tableLength > buffer.Length)
        {
            throw new FlatBufferException($"the vtable of {what} is malformed or runs past the end of the file");
        }
    }

    /// <summary>The root table of <paramref name="buffer"/> (its first 4 bytes are the root offset).</summary>
    public static FlatTable Root(byte[] buffer, string what)
    {
        Require(buffer, 0, 8, "the file header");
        return new FlatTable(buffer, checked((int)Target(buffer, 0, what)), what);
    }

    /// <summary>True when field <paramref name="id"/> is present.</summary>
    public bool Has(int id) => FieldOffset(id) != 0;

    public byte Byte(int id, byte fallback = 0) => FieldOffset(id) is var o and > 0 ? Read(o, 1)[0] : fallback;

    public sbyte SByte(int id, sbyte fallback = 0) => FieldOffset(id) is var o and > 0 ? (sbyte)Read(o, 1)[0] : fallback;

    public bool Bool(int id) => Byte(id) != 0;

    public int Int(int id, int fallback = 0) =>
        FieldOffset(id) is var o and > 0 ? BinaryPrimitives.ReadInt32LittleEndian(Read(o, 4)) : fallback;

    public uint UInt(int id, uint fallback = 0) =>
        FieldOffset(id) is var o and > 0 ? BinaryPrimitives.ReadUInt32LittleEndian(Read(o, 4)) : fallback;

    public ulong ULong(int id, ulong fallback = 0) =>
        FieldOffset(id) is var o and > 0 ? BinaryPrimitives.ReadUInt64LittleEndian(Read(o, 8)) : fallback;

    public float Float(int id, float fallback = 0) =>
        FieldOffset(id) is var o and > 0 ? BinaryPrimitives.ReadSingleLittleEndian(Read(o, 4)) : fallback;

    /// <summary>The sub-table in field <paramref name="id"/>, or null when absent.</summary>
    public FlatTable? Table(int id, string what)
    {
        var o = FieldOffset(id);
        return o == 0 ? null : new FlatTable(_buffer, checked((int)Target(_buffer, _position + o, what)), what);
    }

    /// <summary>The string in field <paramref name="id"/>, or null when absent.</summary>
    public string? String(int id, string what)
    {
        var span = VectorBytes(id, 1, what);
        return span is null ? null : Encoding.UTF8.GetString(span.Value.Span);
    }

    /// <summary>The raw bytes of a vector of scalars of <paramref name="elementSize"/> bytes each, or null when absent.</summary>
    public ReadOnlyMemory<byte>? VectorBytes(int id, int elementSize, string what) =>
        Vector(id, elementSize, what) is { } v ? new ReadOnlyMemory<byte>(_buffer, v.Start, v.Count * elementSize) : null;

    private (int Start, int Count)? Vector(int id, int elementSize, string what)
    {
        var o = FieldOffset(id);
        if (o == 0)
        {
            return null;
        }
        var start = Target(_buffer, _position + o, what);
        Require(_buffer, start, 4, what);
        var count = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan((int)start));
        if (start + 4 + (long)count * elementSize > _buffer.Length)
        {
            throw new FlatBufferException($"{what} declares {count} elements, more than the file holds");
        }
        return ((int)start + 4, (int)count);
    }

    public int[] Ints(int id, string what) => Elements(id, sizeof(int), what, BinaryPrimitives.ReadInt32LittleEndian);

    public float[] Floats(int id, string what) => Elements(id, sizeof(float), what, BinaryPrimitives.ReadSingleLittleEndian);

    public long[] Longs(int id, string what) => Elements(id, sizeof(long), what, BinaryPrimitives.ReadInt64LittleEndian);

    /// <summary>A vector of scalars of <paramref name="elementSize"/> bytes, each read by <paramref name="read"/>;
    /// empty when absent.</summary>
    private T[] Elements<T>(int id, int elementSize, string what, LittleEndianReader<T> read)
    {
        if (VectorBytes(id, elementSize, what) is not { } bytes)
        {
            return [];
        }
        var span = bytes.Span;
        var result = new T[span.Length / elementSize];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = read(span[(elementSize * i)..]);
        }
        return result;
    }

    private delegate T LittleEndianReader<out T>(ReadOnlySpan<byte> source);

    /// <summary>The tables of a vector of tables; empty when absent.</summary>
    public FlatTable[] Tables(int id, string what)
    {
        if (Vector(id, 4, what) is not { } v)
        {
            return [];
        }
        var result = new FlatTable[v.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var element = $"{what}[{i}]";
            result[i] = new FlatTable(_buffer, checked((int)Target(_buffer, v.Start + 4L * i, element)), element);
        }
        return result;
    }

    private int FieldOffset(int id)
    {
        var entry = 4 + 2 * id;
        if (entry + 2 > _vtableLength)
        {
            return 0;
        }
        return BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(_vtable + entry));
    }

    private ReadOnlySpan<byte> Read(int fieldOffset, int size)
    {
        Require(_buffer, _position + (long)fieldOffset, size, _what);
        return _buffer.AsSpan(_position + fieldOffset, size);
    }

    /// <summary>Follows the unsigned offset stored at <paramref name="at"/>.</summary>
    private static long Target(byte[] buffer, long at, string what)
    {
        Require(buffer, at, 4, what);
        var target = at + BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan((int)at));
        if (target > buffer.Length - 4)
        {
            throw new FlatBufferException($"{what} points past the end of the file");
        }
        return target;
    }

    private static void Require(byte[] buffer, long at, long size, string what)
    {
        if (at < 0 || at + size > buffer.Length)
        {
            throw new FlatBufferException($"{what} lies outside the file (byte {at} of {buffer.Length})");
        }
    }
}
