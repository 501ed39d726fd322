using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ModelZoo.Server.InferenceProtocol;

/// <summary>
/// The protocol's tensor data types (<c>FP32</c>, <c>INT64</c>, …) and how their elements travel: as JSON numbers
/// (nested arrays are flattened in row-major order), as little-endian bytes (the binary tensor data extension and
/// gRPC's raw contents), and as the CLR arrays <see cref="Runtime.NamedTensor"/> holds.
/// </summary>
internal static class V2DataTypes
{
    // The data types the server carries, each written once. Arrays are matched by their exact type: the runtime's
    // `is sbyte[]` also accepts a byte[] (and the reverse), which would name a UINT8 output INT8 and write 255 as -1.
    private static readonly Element[] Carried =
    [
        new Element<float>("FP32", static e => e.GetSingle(), WriteFinite),
        new Element<double>("FP64", static e => e.GetDouble(), WriteFinite),
        new Element<long>("INT64", static e => e.GetInt64(), static (w, v) => w.WriteNumberValue(v)),
        new Element<int>("INT32", static e => e.GetInt32(), static (w, v) => w.WriteNumberValue(v)),
        new Element<sbyte>("INT8", static e => e.GetSByte(), static (w, v) => w.WriteNumberValue(v)),
        new Element<byte>("UINT8", static e => e.GetByte(), static (w, v) => w.WriteNumberValue(v)),
        new Element<bool>("BOOL", static e => e.GetBoolean(), static (w, v) => w.WriteBooleanValue(v)),
    ];

    /// <summary>The v2 data type of an ONNX element type as <see cref="Runtime.TensorInfo.ElementType"/> spells it.</summary>
    public static string FromOnnx(string element) => element switch
    {
        "float" => "FP32",
        "double" => "FP64",
        "float16" => "FP16",
        "bfloat16" => "BF16",
        "int8" => "INT8",
        "int16" => "INT16",
        "int32" => "INT32",
        "int64" => "INT64",
        "uint8" => "UINT8",
        "uint16" => "UINT16",
        "uint32" => "UINT32",
        "uint64" => "UINT64",
        "bool" => "BOOL",
        "string" => "BYTES",
        _ => element.ToUpperInvariant(),
    };

    /// <summary>The CLR element type the server feeds for a v2 data type, or null when it cannot carry it.</summary>
    public static Type? ClrType(string datatype) => Find(datatype)?.Clr;

    /// <summary>The v2 data type of an output array the session returned.</summary>
    public static string FromArray(Array data) =>
        data is string[] ? "BYTES" : (Holding(data) ?? throw Unsupported(ElementName(data))).Name;

    /// <summary>Bytes per element of a supported data type.</summary>
    public static int ElementSize(string datatype) => Find(datatype)?.Size ?? 1;

    /// <summary>The element count of a shape, checked for negative dimensions and overflow.</summary>
    /// <exception cref="ServeException">400 for a negative dimension or an absurd size.</exception>
    public static long ElementCount(string name, IReadOnlyList<long> shape)
    {
        long count = 1;
        foreach (var d in shape)
        {
            if (d < 0)
            {
                throw Bad($"input '{name}' has a negative dimension in shape [{string.Join(",", shape)}]; send the tensor's actual shape.");
            }
            count = checked(count * d);
            if (count > int.MaxValue)
            {
                throw Bad($"input '{name}' with shape [{string.Join(",", shape)}] is too large; send a smaller tensor.");
            }
        }
        return count;
    }

    /// <summary>An array of <paramref name="datatype"/> elements read from little-endian bytes.</summary>
    /// <exception cref="ServeException">400 when the byte count does not match the shape.</exception>
    public static Array FromBytes(string name, string datatype, ReadOnlySpan<byte> bytes, long count)
    {
        var size = ElementSize(datatype);
        if (bytes.Length != count * size)
        {
            throw Bad($"input '{name}' carries {bytes.Length} bytes but its shape and {datatype} need {count * size}; send the row-major elements without padding.");
        }
        // Protocol bytes are little-endian, which is every platform .NET runs ONNX Runtime on.
        return (Find(datatype) ?? throw Unsupported(datatype)).FromBytes(bytes);
    }

    /// <summary>The little-endian bytes of an array of a supported type.</summary>
    public static byte[] ToBytes(Array data) => (Holding(data) ?? throw Unsupported(ElementName(data))).ToBytes(data);

    /// <summary>An array of <paramref name="datatype"/> elements read from a JSON array, nested or flat.</summary>
    /// <exception cref="ServeException">400 for a non-number element, a wrong count or a value out of range.</exception>
    public static Array FromJson(string name, string datatype, JsonElement data, long count)
    {
        var flat = new List<JsonElement>((int)Math.Min(count, 1 << 20));
        Flatten(data, flat, name);
        if (flat.Count != count)
        {
            throw Bad($"input '{name}' has {flat.Count} elements in 'data' but its shape needs {count}; send the row-major elements of the shape.");
        }
        try
        {
            return (Find(datatype) ?? throw Unsupported(datatype)).FromJson(flat);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException)
        {
            throw Bad($"input '{name}' holds a value that is not a {datatype} element; send numbers (true/false for BOOL) in range.");
        }
    }

    /// <summary>Writes the elements as one flat JSON array.</summary>
    public static void WriteJson(Utf8JsonWriter writer, Array data)
    {
        writer.WriteStartArray();
        if (data is string[] strings)
        {
            foreach (var v in strings)
            {
                writer.WriteStringValue(v);
            }
        }
        else
        {
            (Holding(data) ?? throw Unsupported(ElementName(data))).WriteJson(writer, data);
        }
        writer.WriteEndArray();
    }

    /// <summary>A 400 error for a malformed request.</summary>
    public static ServeException Bad(string message) => new(ZooErrors.V2BadRequest, message);

    private static ServeException Unsupported(string datatype) => new(ZooErrors.V2DatatypeUnsupported,
        $"tensors of {datatype} elements are not supported here; use FP32, FP64, INT64, INT32, UINT8, INT8 or BOOL.");

    private static bool[] BoolsFromBytes(ReadOnlySpan<byte> bytes)
    {
        var result = new bool[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            result[i] = bytes[i] != 0;
        }
        return result;
    }

    private static void Flatten(JsonElement element, List<JsonElement> flat, string name)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Flatten(item, flat, name);
            }
        }
        else if (element.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
        {
            flat.Add(element);
        }
        else
        {
            throw Bad($"input '{name}' has a {element.ValueKind} in 'data'; send numbers (or true/false for BOOL).");
        }
    }

    private static Element? Find(string datatype) => Array.Find(Carried, e => e.Name == datatype);

    private static Element? Holding(Array data) => Array.Find(Carried, e => e.Holds(data));

    private static string ElementName(Array data) => data.GetType().GetElementType()?.Name ?? "?";

    // JSON has no NaN or infinity; the protocol leaves them to the binary form.
    private static void WriteFinite(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static void WriteFinite(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>One carried data type: its protocol name, CLR element type and element size.</summary>
    private abstract class Element(string name, Type clr, int size)
    {
        public string Name { get; } = name;

        public Type Clr { get; } = clr;

        public int Size { get; } = size;

        public abstract bool Holds(Array data);

        public abstract Array FromBytes(ReadOnlySpan<byte> bytes);

        public abstract Array FromJson(List<JsonElement> flat);

        public abstract byte[] ToBytes(Array data);

        public abstract void WriteJson(Utf8JsonWriter writer, Array data);
    }

    /// <summary>How the elements of one carried type are read from bytes and JSON and written back.</summary>
    private sealed class Element<T>(string name, Func<JsonElement, T> read, Action<Utf8JsonWriter, T> write)
        : Element(name, typeof(T), Unsafe.SizeOf<T>())
        where T : unmanaged
    {
        public override bool Holds(Array data) => data.GetType() == typeof(T[]);

        // A BOOL byte is true when it is not 0, and bools go out as 0 or 1, whatever bytes the session wrote.
        public override Array FromBytes(ReadOnlySpan<byte> bytes) =>
            typeof(T) == typeof(bool) ? BoolsFromBytes(bytes) : MemoryMarshal.Cast<byte, T>(bytes).ToArray();

        public override Array FromJson(List<JsonElement> flat) => flat.Select(read).ToArray();

        public override byte[] ToBytes(Array data) => data is bool[] bools
            ? bools.Select(b => b ? (byte)1 : (byte)0).ToArray()
            : MemoryMarshal.AsBytes(((T[])data).AsSpan()).ToArray();

        public override void WriteJson(Utf8JsonWriter writer, Array data)
        {
            foreach (var v in (T[])data)
            {
                write(writer, v);
            }
        }
    }
}
