using System.Text.Json;

namespace ModelZoo.Import.Tfjs;

/// <summary>
/// Reads a TFJS weights manifest: the shards of every group concatenated in manifest order, then each weight in turn,
/// dequantised exactly as TensorFlow.js does (uint8/uint16: <c>q * scale + min</c> computed in double and stored as
/// float32, or rounded for int32 weights; float16: widened to float32).
/// </summary>
internal static class TfjsWeights
{
    public static Dictionary<string, ConstTensor> Read(JsonElement manifest, string folder, string modelPath)
    {
        var result = new Dictionary<string, ConstTensor>(StringComparer.Ordinal);
        if (manifest.ValueKind != JsonValueKind.Array)
        {
            throw new TfjsModelException(modelPath, $"'{Path.GetFileName(modelPath)}' has no weightsManifest array; check that it is a TFJS graph model.");
        }
        foreach (var group in manifest.EnumerateArray())
        {
            var bytes = ReadShards(group, folder, modelPath);
            var offset = 0L;
            if (!group.TryGetProperty("weights", out var weights))
            {
                continue;
            }
            foreach (var spec in weights.EnumerateArray())
            {
                var name = spec.GetProperty("name").GetString() ?? "";
                var shape = spec.GetProperty("shape").EnumerateArray().Select(TfNode.ReadLong).ToArray();
                var dtype = spec.GetProperty("dtype").GetString() ?? "float32";
                var count = Shapes.ElementCount(shape);
                ConstTensor tensor;
                if (spec.TryGetProperty("quantization", out var q) && q.ValueKind == JsonValueKind.Object)
                {
                    tensor = Dequantize(name, dtype, shape, count, q, bytes, ref offset, modelPath);
                }
                else
                {
                    tensor = Plain(name, dtype, shape, count, bytes, ref offset, modelPath);
                }
                result[name] = tensor;
            }
        }
        return result;
    }

    private static byte[] ReadShards(JsonElement group, string folder, string modelPath)
    {
        using var buffer = new MemoryStream();
        if (group.TryGetProperty("paths", out var paths))
        {
            foreach (var p in paths.EnumerateArray())
            {
                var relative = p.GetString() ?? "";
                var path = Path.GetFullPath(Path.Combine(folder, relative.Replace('/', Path.DirectorySeparatorChar)));
                try
                {
                    using var stream = File.OpenRead(path);
                    stream.CopyTo(buffer);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    throw new TfjsModelException(modelPath,
                        $"Weight shard '{relative}' of '{Path.GetFileName(modelPath)}' cannot be read ({ex.Message}); place every shard the manifest lists beside model.json, or pull the model again.", ex);
                }
            }
        }
        return buffer.ToArray();
    }

    private static ReadOnlySpan<byte> Take(byte[] bytes, ref long offset, long length, string name, string modelPath)
    {
        if (offset + length > bytes.Length)
        {
            throw new TfjsModelException(modelPath,
                $"The weight shards of '{Path.GetFileName(modelPath)}' end before weight '{name}' (need {offset + length} bytes, have {bytes.Length}); pull the model again.");
        }
        var span = bytes.AsSpan((int)offset, (int)length);
        offset += length;
        return span;
    }

    private static ConstTensor Plain(string name, string dtype, long[] shape, long count, byte[] bytes, ref long offset, string modelPath)
    {
        switch (dtype)
        {
            case "float32":
            {
                var span = Take(bytes, ref offset, count * 4, name, modelPath);
                var values = new float[count];
                span.CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
                return ConstTensor.Floats(shape, values);
            }
            case "int32":
            {
                var span = Take(bytes, ref offset, count * 4, name, modelPath);
                var values = new int[count];
                span.CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
                return ConstTensor.Ints(shape, values);
            }
            case "bool":
            {
                var span = Take(bytes, ref offset, count, name, modelPath);
                var values = new bool[count];
                for (var i = 0; i < count; i++)
                {
                    values[i] = span[i] != 0;
                }
                return new ConstTensor(TensorType.Bool, shape, values);
            }
            default:
                throw new TfjsModelException(modelPath,
                    $"Weight '{name}' of '{Path.GetFileName(modelPath)}' has dtype '{dtype}', which the importer does not read (float32, int32, bool); re-export the model without it.");
        }
    }

    private static ConstTensor Dequantize(string name, string dtype, long[] shape, long count, JsonElement q, byte[] bytes, ref long offset, string modelPath)
    {
        var qtype = q.TryGetProperty("dtype", out var t) ? t.GetString() : null;
        switch (qtype)
        {
            case "float16":
            {
                if (dtype != "float32")
                {
                    break;
                }
                var span = Take(bytes, ref offset, count * 2, name, modelPath);
                var values = new float[count];
                for (var i = 0; i < count; i++)
                {
                    var bits = (ushort)(span[2 * i] | (span[2 * i + 1] << 8));
                    values[i] = (float)BitConverter.UInt16BitsToHalf(bits);
                }
                return ConstTensor.Floats(shape, values);
            }
            case "uint8":
            case "uint16":
            {
                if (!q.TryGetProperty("scale", out var scaleElement) || !q.TryGetProperty("min", out var minElement))
                {
                    throw new TfjsModelException(modelPath,
                        $"Quantized weight '{name}' of '{Path.GetFileName(modelPath)}' lacks scale or min; re-export the model.");
                }
                var scale = TfNode.ReadDouble(scaleElement);
                var min = TfNode.ReadDouble(minElement);
                var width = qtype == "uint8" ? 1 : 2;
                var span = Take(bytes, ref offset, count * width, name, modelPath);
                var raw = new double[count];
                for (var i = 0; i < count; i++)
                {
                    double v = width == 1 ? span[i] : span[2 * i] | (span[2 * i + 1] << 8);
                    raw[i] = v * scale + min;
                }
                if (dtype == "float32")
                {
                    return ConstTensor.Floats(shape, Array.ConvertAll(raw, v => (float)v));
                }
                if (dtype == "int32")
                {
                    // JavaScript's Math.round: halves round up.
                    return ConstTensor.Ints(shape, Array.ConvertAll(raw, v => (int)Math.Floor(v + 0.5)));
                }
                break;
            }
        }
        throw new TfjsModelException(modelPath,
            $"Weight '{name}' of '{Path.GetFileName(modelPath)}' uses quantization '{qtype}' for dtype '{dtype}', which TensorFlow.js does not define; re-export the model.");
    }
}
