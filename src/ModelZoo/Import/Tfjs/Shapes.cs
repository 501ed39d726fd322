namespace ModelZoo.Import.Tfjs;

/// <summary>Static shape arithmetic. A shape is <c>long[]</c> with -1 for an unknown dimension; null means unknown rank.</summary>
internal static class Shapes
{
    public static long ElementCount(long[] shape)
    {
        // Checked: a hostile model.json can declare dimensions whose product does not fit in a long.
        long n = 1;
        foreach (var d in shape)
        {
            n = checked(n * d);
        }
        return n;
    }

    public static long[] Strides(long[] shape)
    {
        var strides = new long[shape.Length];
        long s = 1;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s = checked(s * shape[i]);
        }
        return strides;
    }

    public static bool IsStatic(long[]? shape) => shape is not null && shape.All(d => d >= 0);

    /// <summary>NumPy broadcasting of two shapes; unknown where either side is unknown and not 1.</summary>
    public static long[]? Broadcast(long[]? a, long[]? b)
    {
        if (a is null || b is null)
        {
            return null;
        }
        var rank = Math.Max(a.Length, b.Length);
        var result = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            var db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            result[i] = da == 1 ? db : db == 1 ? da : da >= 0 ? da : db;
        }
        return result;
    }

    public static int Axis(long axis, int rank) => (int)(axis < 0 ? axis + rank : axis);

    public static long[] Permute(long[] shape, IReadOnlyList<int> perm) => perm.Select(p => shape[p]).ToArray();

    public static readonly int[] NhwcToNchw = [0, 3, 1, 2];

    public static readonly int[] NchwToNhwc = [0, 2, 3, 1];

    public static string Format(long[]? shape) => shape is null ? "?" : "[" + string.Join(",", shape.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
}
