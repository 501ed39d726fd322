using System.Runtime.InteropServices;
using System.Text.Json;
using ModelZoo.Server.Hosting;

namespace ModelZoo.Server.InferenceProtocol;

/// <summary>
/// The protocol's tensor data types (<c>FP32</c>, <c>INT64</c>, …) and how their elements travel: as JSON numbers
/// (nested arrays are flattened in row-major order), as little-endian bytes (the binary tensor data extension and
/// gRPC's raw contents), and as the CLR arrays <see cref="Runtime.NamedTensor"/> holds.
/// </summary>
internal static class V2DataTypes
{
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
    public static Type? ClrType(string datatype) => datatype switch
    {
        "FP32" => typeof(float),
        "FP64" => typeof(double),
        "INT64" => typeof(long),
        "INT32" => typeof(int),
        "UINT8" => typeof(byte),
        "INT8" => typeof(sbyte),
        "BOOL" => typeof(bool),
        _ => null,
    };

    /// <summary>The v2 data type of an output array the session returned.</summary>
    public static string FromArray(Array data) => data switch
    {
        float[] => "FP32",
        double[] => "FP64",
        long[] => "INT64",
        int[] => "INT32",
        sbyte[] => "INT8",
        byte[] => "UINT8",
        bool[] => "BOOL",
        string[] => "BYTES",
        _ => throw Unsupported(data.GetType().GetElementType()?.Name ?? "?"),
    };

    /// <summary>Bytes per element of a supported data type.</summary>
    public static int ElementSize(string datatype) => datatype switch
    {
        "FP64" or "INT64" => 8,
        "FP32" or "INT32" => 4,
        _ => 1,
    };

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
        return datatype switch
        {
            "FP32" => MemoryMarshal.Cast<byte, float>(bytes).ToArray(),
            "FP64" => MemoryMarshal.Cast<byte, double>(bytes).ToArray(),
            "INT64" => MemoryMarshal.Cast<byte, long>(bytes).ToArray(),
            "INT32" => MemoryMarshal.Cast<byte, int>(bytes).ToArray(),
            "UINT8" => bytes.ToArray(),
            "INT8" => MemoryMarshal.Cast<byte, sbyte>(bytes).ToArray(),
            "BOOL" => BoolsFromBytes(bytes),
            _ => throw Unsupported(datatype),
        };
    }

    /// <summary>The little-endian bytes of an array of a supported type.</summary>
    public static byte[] ToBytes(Array data) => data switch
    {
        float[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
        double[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
        long[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
        int[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
        sbyte[] a => MemoryMarshal.AsBytes(a.AsSpan()).ToArray(),
        byte[] a => (byte[])a.Clone(),
        bool[] a => a.Select(b => b ? (byte)1 : (byte)0).ToArray(),
        _ => throw Unsupported(data.GetType().GetElementType()?.Name ?? "?"),
    };

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
            return datatype switch
            {
                "FP32" => flat.Select(e => e.GetSingle()).ToArray(),
                "FP64" => flat.Select(e => e.GetDouble()).ToArray(),
                "INT64" => flat.Select(e => e.GetInt64()).ToArray(),
                "INT32" => flat.Select(e => e.GetInt32()).ToArray(),
                "UINT8" => flat.Select(e => e.GetByte()).ToArray(),
                "INT8" => flat.Select(e => e.GetSByte()).ToArray(),
                "BOOL" => flat.Select(e => e.GetBoolean()).ToArray(),
                _ => throw Unsupported(datatype),
            };
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
        switch (data)
        {
            case float[] a:
                foreach (var v in a)
                {
                    // JSON has no NaN or infinity; the protocol leaves them to the binary form.
                    if (float.IsFinite(v))
                    {
                        writer.WriteNumberValue(v);
                    }
                    else
                    {
                        writer.WriteNullValue();
                    }
                }
                break;
            case double[] a:
                foreach (var v in a)
                {
                    if (double.IsFinite(v))
                    {
                        writer.WriteNumberValue(v);
                    }
                    else
                    {
                        writer.WriteNullValue();
                    }
                }
                break;
            case long[] a:
                foreach (var v in a)
                {
                    writer.WriteNumberValue(v);
                }
                break;
            case int[] a:
                foreach (var v in a)
                {
                    writer.WriteNumberValue(v);
                }
                break;
            case sbyte[] a:
                foreach (var v in a)
                {
                    writer.WriteNumberValue(v);
                }
                break;
            case byte[] a:
                foreach (var v in a)
                {
                    writer.WriteNumberValue(v);
                }
                break;
            case bool[] a:
                foreach (var v in a)
                {
                    writer.WriteBooleanValue(v);
                }
                break;
            case string[] a:
                foreach (var v in a)
                {
                    writer.WriteStringValue(v);
                }
                break;
            default:
                throw Unsupported(data.GetType().GetElementType()?.Name ?? "?");
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
}
