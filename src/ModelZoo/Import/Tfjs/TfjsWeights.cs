namespace ModelZoo.Import.Tfjs;

/// <summary>
/// Reads a TFJS weights manifest: the shards of every group concatenated in manifest order, then each weight in turn,
/// dequantised exactly as TensorFlow.js does (uint8/uint16: <c>q * scale + min</c> computed in double and stored as
/// float32, or rounded for int32 weights; float16: widened to float32).
/// </summary>
internal static class TfjsWeights
{
    /// <summary>The most bytes one weight group may hold: the shards are read into one array.</summary>
    private static readonly long MaxGroupBytes = Array.MaxLength;

    public static Dictionary<string, ConstTensor> Read(JsonElement manifest, string folder, string modelPath)
    {
        var result = new Dictionary<string, ConstTensor>(StringComparer.Ordinal);
        var file = Path.GetFileName(modelPath);
        if (manifest.ValueKind != JsonValueKind.Array)
        {
            throw new TfjsModelException(modelPath, $"'{file}' has no weightsManifest array; check that it is a TFJS graph model.");
        }
        var root = Path.GetFullPath(folder);
        var groupIndex = 0;
        foreach (var group in manifest.EnumerateArray())
        {
            var at = $"weightsManifest[{groupIndex++}]";
            if (group.ValueKind != JsonValueKind.Object)
            {
                throw Malformed(modelPath, at, $"is {Kind(group)}, not an object with paths and weights");
            }
            var specs = ReadSpecs(group, at, modelPath);
            var expected = 0L;
            foreach (var spec in specs)
            {
                expected += spec.ByteLength;
                if (expected > MaxGroupBytes)
                {
                    throw Malformed(modelPath, at, $"describes more than {MaxGroupBytes} bytes of weights, more than the importer reads in one group");
                }
            }
            var bytes = ReadShards(group, at, root, expected, modelPath);
            var offset = 0L;
            foreach (var spec in specs)
            {
                var tensor = spec.Quantization is { } q
                    ? Dequantize(spec.Name, spec.DType, spec.Shape, spec.Count, q, bytes, ref offset, modelPath)
                    : Plain(spec.Name, spec.DType, spec.Shape, spec.Count, bytes, ref offset, modelPath);
                result[spec.Name] = tensor;
            }
        }
        return result;
    }

    /// <summary>The weights of one group with their byte lengths, checked before any shard is read.</summary>
    private static List<WeightSpec> ReadSpecs(JsonElement group, string at, string modelPath)
    {
        var specs = new List<WeightSpec>();
        if (!group.TryGetProperty("weights", out var weights))
        {
            return specs;
        }
        if (weights.ValueKind != JsonValueKind.Array)
        {
            throw Malformed(modelPath, $"{at}.weights", $"is {Kind(weights)}, not an array");
        }
        var index = 0;
        foreach (var spec in weights.EnumerateArray())
        {
            var field = $"{at}.weights[{index++}]";
            if (spec.ValueKind != JsonValueKind.Object)
            {
                throw Malformed(modelPath, field, $"is {Kind(spec)}, not an object");
            }
            var name = RequiredString(spec, "name", field, modelPath);
            field = $"{field} ('{name}')";
            var dtype = spec.TryGetProperty("dtype", out var d) ? StringOf(d, $"{field}.dtype", modelPath) : "float32";
            if (!spec.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            {
                throw Malformed(modelPath, $"{field}.shape", "is missing or not an array of dimensions");
            }
            var shape = new long[shapeElement.GetArrayLength()];
            var count = 1L;
            var i = 0;
            foreach (var dim in shapeElement.EnumerateArray())
            {
                if (!TryReadDimension(dim, out var size) || size < 0)
                {
                    throw Malformed(modelPath, $"{field}.shape", $"has the dimension {dim.GetRawText()}, but weight dimensions are whole numbers of 0 or more");
                }
                shape[i++] = size;
                if (size != 0 && count > MaxGroupBytes / size)
                {
                    throw Malformed(modelPath, $"{field}.shape", $"{shapeElement.GetRawText()} holds more than {MaxGroupBytes} values, more than the importer reads");
                }
                count *= size;
            }
            JsonElement? quantization = spec.TryGetProperty("quantization", out var q) && q.ValueKind == JsonValueKind.Object ? q : null;
            var width = quantization is { } qe ? QuantizedWidth(name, dtype, qe, field, modelPath) : PlainWidth(name, dtype, modelPath);
            if (count > MaxGroupBytes / width)
            {
                throw Malformed(modelPath, $"{field}.shape", $"{shapeElement.GetRawText()} needs more than {MaxGroupBytes} bytes, more than the importer reads");
            }
            specs.Add(new WeightSpec(name, dtype, shape, count, quantization, count * width));
        }
        return specs;
    }

    private static bool TryReadDimension(JsonElement dim, out long size)
    {
        size = 0;
        return dim.ValueKind switch
        {
            JsonValueKind.Number => dim.TryGetInt64(out size),
            JsonValueKind.String => long.TryParse(dim.GetString(), System.Globalization.NumberStyles.Integer,
                System.Globalization.CultureInfo.InvariantCulture, out size),
            _ => false,
        };
    }

    private static int PlainWidth(string name, string dtype, string modelPath) => dtype switch
    {
        "float32" or "int32" => 4,
        "bool" => 1,
        _ => throw new TfjsModelException(modelPath,
            $"Weight '{name}' of '{Path.GetFileName(modelPath)}' has dtype '{dtype}', which the importer does not read (float32, int32, bool); re-export the model without it."),
    };

    private static int QuantizedWidth(string name, string dtype, JsonElement q, string field, string modelPath)
    {
        var qtype = q.TryGetProperty("dtype", out var t) ? StringOf(t, $"{field}.quantization.dtype", modelPath) : null;
        return (qtype, dtype) switch
        {
            ("float16", "float32") => 2,
            ("uint8", "float32" or "int32") => 1,
            ("uint16", "float32" or "int32") => 2,
            _ => throw new TfjsModelException(modelPath,
                $"Weight '{name}' of '{Path.GetFileName(modelPath)}' uses quantization '{qtype}' for dtype '{dtype}', which TensorFlow.js does not define; re-export the model."),
        };
    }

    /// <summary>Reads the group's shards after checking that every path stays inside the model's folder and that the
    /// shards together hold exactly the bytes the manifest describes.</summary>
    private static byte[] ReadShards(JsonElement group, string at, string root, long expected, string modelPath)
    {
        var file = Path.GetFileName(modelPath);
        var shards = new List<(string Relative, string Path)>();
        if (group.TryGetProperty("paths", out var paths))
        {
            if (paths.ValueKind != JsonValueKind.Array)
            {
                throw Malformed(modelPath, $"{at}.paths", $"is {Kind(paths)}, not an array of shard file names");
            }
            var index = 0;
            foreach (var p in paths.EnumerateArray())
            {
                var relative = StringOf(p, $"{at}.paths[{index++}]", modelPath);
                shards.Add((relative, ShardPath(root, relative, modelPath)));
            }
        }
        var actual = 0L;
        foreach (var (relative, path) in shards)
        {
            try
            {
                actual += new FileInfo(path).Length;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new TfjsModelException(modelPath,
                    $"Weight shard '{relative}' of '{file}' cannot be read ({ex.Message}); place every shard the manifest lists beside model.json, or pull the model again.", ex);
            }
        }
        if (actual != expected)
        {
            throw new TfjsModelException(modelPath,
                $"The weight shards of {at} of '{file}' ({string.Join(", ", shards.Select(s => s.Relative))}) hold {actual} bytes but its weights need exactly {expected}; the shards are damaged or belong to another model, pull the model again.");
        }
        var buffer = new byte[expected];
        var offset = 0;
        foreach (var (relative, path) in shards)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
                int read;
                while (offset < buffer.Length && (read = stream.Read(buffer, offset, buffer.Length - offset)) > 0)
                {
                    offset += read;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new TfjsModelException(modelPath,
                    $"Weight shard '{relative}' of '{file}' cannot be read ({ex.Message}); place every shard the manifest lists beside model.json, or pull the model again.", ex);
            }
        }
        if (offset != expected)
        {
            throw new TfjsModelException(modelPath,
                $"The weight shards of {at} of '{file}' changed while they were read; pull the model again.");
        }
        return buffer;
    }

    /// <summary>
    /// The full path of shard <paramref name="relative"/>, which must name a file inside <paramref name="root"/>:
    /// TensorFlow.js resolves shard paths as URLs relative to model.json, so an absolute path, a drive, a backslash
    /// or a '..' that climbs out of the folder (also through a symbolic link) never names a shard.
    /// </summary>
    internal static string ShardPath(string root, string relative, string modelPath)
    {
        var file = Path.GetFileName(modelPath);
        TfjsModelException Outside(string why) => new(modelPath,
            $"Weight shard path '{relative}' of '{file}' {why}; shard paths must name files in the model's folder, re-export the model or fix its weightsManifest.");
        if (relative.Length == 0 || relative.Contains('\\') || relative.Contains(':') || relative.Contains('\0')
            || relative.StartsWith('/') || Path.IsPathRooted(relative))
        {
            throw Outside(relative.Length == 0 ? "is empty" : "is absolute or uses '\\' or ':'");
        }
        var rootWithSeparator = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar)));
        if (!full.StartsWith(rootWithSeparator, PathComparison))
        {
            throw Outside("leads outside the model's folder");
        }
        // A link inside the folder may still point out of it: check every linked step from the folder to the shard.
        var step = root;
        foreach (var part in Path.GetRelativePath(root, full).Split(Path.DirectorySeparatorChar))
        {
            step = Path.Combine(step, part);
            FileSystemInfo info = Directory.Exists(step) ? new DirectoryInfo(step) : new FileInfo(step);
            if (info.LinkTarget is null)
            {
                continue;
            }
            var target = info is DirectoryInfo ? Directory.ResolveLinkTarget(step, true) : File.ResolveLinkTarget(step, true);
            if (target is null || !Path.GetFullPath(target.FullName).StartsWith(rootWithSeparator, PathComparison))
            {
                throw Outside($"is a link to '{target?.FullName ?? info.LinkTarget}', outside the model's folder");
            }
        }
        return full;
    }

    private static StringComparison PathComparison =>
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private static string RequiredString(JsonElement obj, string property, string at, string modelPath)
    {
        if (!obj.TryGetProperty(property, out var value))
        {
            throw Malformed(modelPath, $"{at}.{property}", "is missing");
        }
        return StringOf(value, $"{at}.{property}", modelPath);
    }

    private static string StringOf(JsonElement value, string field, string modelPath) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Malformed(modelPath, field, $"is {Kind(value)}, not a string");

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.String => "a string",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static TfjsModelException Malformed(string modelPath, string field, string problem) => new(modelPath,
        $"{field} of '{Path.GetFileName(modelPath)}' {problem}; the file is damaged or not a TFJS graph model, re-export it or pull it again.");

    private sealed record WeightSpec(string Name, string DType, long[] Shape, long Count, JsonElement? Quantization, long ByteLength);

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
