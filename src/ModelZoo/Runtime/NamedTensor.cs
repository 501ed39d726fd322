namespace ModelZoo.Runtime;

/// <summary>
/// A named dense tensor in row-major order: an input to feed or an output that was read back.
/// The caller owns <see cref="Data"/>; a tensor passed to <see cref="ModelSession.Run(IReadOnlyList{NamedTensor}, IReadOnlyList{string})"/>
/// is read in place (not copied) and must not change until the call returns.
/// </summary>
/// <param name="Name">The graph input or output name.</param>
/// <param name="Data">The elements: <c>float[]</c>, <c>double[]</c>, <c>long[]</c>, <c>int[]</c>, <c>byte[]</c>,
/// <c>sbyte[]</c>, <c>bool[]</c>, or <c>string[]</c> for string outputs.</param>
/// <param name="Shape">The dimensions; their product equals the length of <see cref="Data"/>.</param>
public sealed record NamedTensor(string Name, Array Data, long[] Shape)
{
    /// <summary>The data as <c>float[]</c> (no copy).</summary>
    /// <exception cref="InvalidOperationException">The tensor does not hold 32-bit floats.</exception>
    public float[] AsFloats() => Data as float[]
        ?? throw new InvalidOperationException(
            $"Tensor '{Name}' holds {Data.GetType().GetElementType()?.Name ?? "?"} elements, not float; read Data directly.");

    /// <summary>The data as <c>long[]</c> (no copy).</summary>
    /// <exception cref="InvalidOperationException">The tensor does not hold 64-bit integers.</exception>
    public long[] AsInt64s() => Data as long[]
        ?? throw new InvalidOperationException(
            $"Tensor '{Name}' holds {Data.GetType().GetElementType()?.Name ?? "?"} elements, not int64; read Data directly.");

    /// <summary>The number of elements the shape describes.</summary>
    public long ElementCount => Shape.Aggregate(1L, (n, d) => n * d);
}
