namespace ModelZoo.Import.Tfjs;

/// <summary>Reads a TensorFlow <c>TensorProto</c> written inline in a node attribute (<c>tensorContent</c> or typed value
/// lists), for graphs whose constants are not all in the weights manifest.</summary>
internal static class TfjsInlineTensor
{
    /// <summary>Inline constants are small (converters move large ones into the weights manifest); the bound stops a
    /// declared shape from making the reader allocate without limit.</summary>
    private const long MaxElements = 1 << 26;

    public static bool TryRead(JsonElement tensor, out ConstTensor value)
    {
        value = null!;
        var type = TfjsOps.FromTf(tensor.TryGetProperty("dtype", out var d) ? d.GetString() : null);
        if (type is null)
        {
            return false;
        }
        var shape = tensor.TryGetProperty("tensorShape", out var ts) ? TfNode.ReadShape(ts) ?? [] : [];
        var total = shape.Any(d => d < 0) ? -1 : Shapes.ElementCount(shape);
        if (total is < 0 or > MaxElements)
        {
            throw new InvalidDataException($"an inline constant of shape {Shapes.Format(shape)} is not a fixed shape of at most {MaxElements} values");
        }
        var count = (int)total;
        var dtype = d.GetString();
        if (tensor.TryGetProperty("tensorContent", out var content))
        {
            var bytes = Convert.FromBase64String(content.GetString() ?? "");
            switch (dtype)
            {
                case "DT_FLOAT" when bytes.Length == count * 4:
                {
                    var f = new float[count];
                    Buffer.BlockCopy(bytes, 0, f, 0, bytes.Length);
                    value = ConstTensor.Floats(shape, f);
                    return true;
                }
                case "DT_INT32" when bytes.Length == count * 4:
                {
                    var i = new int[count];
                    Buffer.BlockCopy(bytes, 0, i, 0, bytes.Length);
                    value = ConstTensor.Ints(shape, i);
                    return true;
                }
                case "DT_INT64" when bytes.Length == count * 8:
                {
                    var l = new long[count];
                    Buffer.BlockCopy(bytes, 0, l, 0, bytes.Length);
                    value = ConstTensor.Ints(shape, Array.ConvertAll(l, v => (int)v));
                    return true;
                }
                default:
                    return false;
            }
        }
        foreach (var list in new[] { "floatVal", "intVal", "int64Val", "boolVal", "halfVal", "doubleVal" })
        {
            if (!tensor.TryGetProperty(list, out var items))
            {
                continue;
            }
            var values = items.EnumerateArray()
                .Select(e => e.ValueKind == JsonValueKind.True ? 1d : e.ValueKind == JsonValueKind.False ? 0d : TfNode.ReadDouble(e))
                .ToArray();
            if (values.Length == 0 || (values.Length != count && values.Length != 1))
            {
                return false;
            }
            // TensorFlow repeats the last value to fill the tensor.
            var filled = values.Length == count ? values : Enumerable.Repeat(values[0], count).ToArray();
            value = ConstTensor.FromDoubles(type.Value, shape, filled);
            return true;
        }
        return false;
    }
}
