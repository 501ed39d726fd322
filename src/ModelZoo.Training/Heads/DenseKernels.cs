using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ModelZoo.Training.Heads;

/// <summary>
/// Matrix kernels for fully connected layers on row-major float arrays. Each output element is
/// computed by exactly one thread with a fixed summation order, so results do not depend on how
/// work is split across threads.
/// </summary>
internal static class DenseKernels
{
    // Below this many multiply-adds a call stays on the calling thread: Parallel.For costs microseconds.
    private const long ParallelWork = 1L << 19;

    /// <summary>
    /// <c>output[r, o] = bias[o] + Σ_k input[row(r), k] · weight[o, k]</c>, optionally followed by ReLU.
    /// <c>row(r)</c> is <c>rowIndex[r]</c> when given, else <c>r</c>.
    /// </summary>
    public static void Forward(
        float[] input, int[]? rowIndex, int rows, int inCols,
        float[] weight, float[] bias, int outCount, float[] output, bool relu, int maxParallel)
    {
        long work = (long)rows * inCols * outCount;
        int blocks = maxParallel > 1 && work >= ParallelWork ? Math.Min(maxParallel * 4, (rows + 3) / 4) : 1;
        if (blocks <= 1)
        {
            ForwardRows(input, rowIndex, 0, rows, inCols, weight, bias, outCount, output, relu);
            return;
        }

        int per = (rows + blocks - 1) / blocks;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = maxParallel }, b =>
        {
            int r0 = b * per, r1 = Math.Min(rows, r0 + per);
            if (r0 < r1)
            {
                ForwardRows(input, rowIndex, r0, r1, inCols, weight, bias, outCount, output, relu);
            }
        });
    }

    /// <summary>Single-threaded <see cref="Forward"/> over rows [r0, r1) of span inputs.</summary>
    public static void ForwardRows(
        ReadOnlySpan<float> input, ReadOnlySpan<int> rowIndex, int r0, int r1, int inCols,
        ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int outCount, Span<float> output, bool relu)
    {
        for (int r = r0; r < r1; r++)
        {
            int row = rowIndex.IsEmpty ? r : rowIndex[r];
            ReadOnlySpan<float> x = input.Slice(row * inCols, inCols);
            Span<float> dst = output.Slice(r * outCount, outCount);
            DotAgainstRows(x, weight, outCount, dst);
            TensorPrimitives.Add(dst, bias, dst);
            if (relu)
            {
                TensorPrimitives.Max(dst, 0f, dst);
            }
        }
    }

    /// <summary>
    /// <c>dest[a, k] = Σ_j coef[a·aStride + j·jStride] · src[row(j), k]</c> for a in [0, destRows) and
    /// j in [0, terms), with <c>row(j)</c> = <c>rowIndex[j]</c> when given, else <c>j</c>; rows have
    /// <paramref name="cols"/> values. This is both the weight gradient (<c>gW = gOutᵀ·X</c>) and the
    /// input gradient (<c>gX = gOut·W</c>).
    /// </summary>
    public static void WeightedRowSums(
        float[] dest, int destRows, int cols,
        float[] src, int[]? rowIndex, int terms,
        float[] coef, int aStride, int jStride, int maxParallel)
    {
        long work = (long)destRows * cols * terms;
        int groups = (destRows + 3) / 4;
        int blocks = maxParallel > 1 && work >= ParallelWork ? Math.Min(maxParallel * 4, groups) : 1;
        if (blocks <= 1)
        {
            WeightedRowSumsRange(dest, 0, destRows, cols, src, rowIndex, terms, coef, aStride, jStride);
            return;
        }

        int per = (groups + blocks - 1) / blocks * 4;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = maxParallel }, b =>
        {
            int a0 = b * per, a1 = Math.Min(destRows, a0 + per);
            if (a0 < a1)
            {
                WeightedRowSumsRange(dest, a0, a1, cols, src, rowIndex, terms, coef, aStride, jStride);
            }
        });
    }

    /// <summary><c>dest[o] = Σ_r g[r, o]</c> (bias gradient).</summary>
    public static void ColumnSums(ReadOnlySpan<float> g, int rows, int outCount, Span<float> dest)
    {
        dest.Slice(0, outCount).Clear();
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.Add(dest.Slice(0, outCount), g.Slice(r * outCount, outCount), dest.Slice(0, outCount));
        }
    }

    private static void WeightedRowSumsRange(
        Span<float> dest, int a0, int a1, int cols,
        ReadOnlySpan<float> src, int[]? rowIndex, int terms,
        ReadOnlySpan<float> coef, int aStride, int jStride)
    {
        int vecEnd = cols - cols % Vector<float>.Count;
        int a = a0;
        for (; a + 4 <= a1; a += 4)
        {
            WeightedRowSumsOfFour(dest, a, cols, vecEnd, src, rowIndex, terms, coef, aStride, jStride);
        }

        for (; a < a1; a++)
        {
            WeightedRowSumsOfOne(dest, a, cols, vecEnd, src, rowIndex, terms, coef, aStride, jStride);
        }
    }

    // Rows a … a+3 of dest at once, so that each source load feeds four multiply-adds.
    private static void WeightedRowSumsOfFour(Span<float> dest, int a, int cols, int vecEnd, ReadOnlySpan<float> src, int[]? rowIndex, int terms, ReadOnlySpan<float> coef, int aStride, int jStride)
    {
        int vw = Vector<float>.Count;
        ref float srcRef = ref MemoryMarshal.GetReference(src);
        ref float coefRef = ref MemoryMarshal.GetReference(coef);
        ref float d0 = ref MemoryMarshal.GetReference(dest.Slice(a * cols, cols));
        ref float d1 = ref Unsafe.Add(ref d0, cols);
        ref float d2 = ref Unsafe.Add(ref d1, cols);
        ref float d3 = ref Unsafe.Add(ref d2, cols);
        int c0 = a * aStride;
        for (int k = 0; k < vecEnd; k += vw)
        {
            Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
            int ci = c0;
            for (int j = 0; j < terms; j++, ci += jStride)
            {
                int row = rowIndex is null ? j : rowIndex[j];
                Vector<float> x = Vector.LoadUnsafe(ref srcRef, (nuint)(row * cols + k));
                s0 = Vector.MultiplyAddEstimate(new Vector<float>(Unsafe.Add(ref coefRef, ci)), x, s0);
                s1 = Vector.MultiplyAddEstimate(new Vector<float>(Unsafe.Add(ref coefRef, ci + aStride)), x, s1);
                s2 = Vector.MultiplyAddEstimate(new Vector<float>(Unsafe.Add(ref coefRef, ci + 2 * aStride)), x, s2);
                s3 = Vector.MultiplyAddEstimate(new Vector<float>(Unsafe.Add(ref coefRef, ci + 3 * aStride)), x, s3);
            }

            s0.StoreUnsafe(ref d0, (nuint)k);
            s1.StoreUnsafe(ref d1, (nuint)k);
            s2.StoreUnsafe(ref d2, (nuint)k);
            s3.StoreUnsafe(ref d3, (nuint)k);
        }

        for (int k = vecEnd; k < cols; k++)
        {
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int ci = c0;
            for (int j = 0; j < terms; j++, ci += jStride)
            {
                int row = rowIndex is null ? j : rowIndex[j];
                float x = src[row * cols + k];
                s0 += coef[ci] * x;
                s1 += coef[ci + aStride] * x;
                s2 += coef[ci + 2 * aStride] * x;
                s3 += coef[ci + 3 * aStride] * x;
            }

            Unsafe.Add(ref d0, k) = s0;
            Unsafe.Add(ref d1, k) = s1;
            Unsafe.Add(ref d2, k) = s2;
            Unsafe.Add(ref d3, k) = s3;
        }
    }

    private static void WeightedRowSumsOfOne(Span<float> dest, int a, int cols, int vecEnd, ReadOnlySpan<float> src, int[]? rowIndex, int terms, ReadOnlySpan<float> coef, int aStride, int jStride)
    {
        int vw = Vector<float>.Count;
        ref float srcRef = ref MemoryMarshal.GetReference(src);
        ref float coefRef = ref MemoryMarshal.GetReference(coef);
        ref float d0 = ref MemoryMarshal.GetReference(dest.Slice(a * cols, cols));
        int c0 = a * aStride;
        for (int k = 0; k < vecEnd; k += vw)
        {
            Vector<float> s0 = default;
            int ci = c0;
            for (int j = 0; j < terms; j++, ci += jStride)
            {
                int row = rowIndex is null ? j : rowIndex[j];
                s0 = Vector.MultiplyAddEstimate(new Vector<float>(Unsafe.Add(ref coefRef, ci)), Vector.LoadUnsafe(ref srcRef, (nuint)(row * cols + k)), s0);
            }

            s0.StoreUnsafe(ref d0, (nuint)k);
        }

        for (int k = vecEnd; k < cols; k++)
        {
            float s0 = 0;
            int ci = c0;
            for (int j = 0; j < terms; j++, ci += jStride)
            {
                int row = rowIndex is null ? j : rowIndex[j];
                s0 += coef[ci] * src[row * cols + k];
            }

            Unsafe.Add(ref d0, k) = s0;
        }
    }

    // dst[o] = dot(x, w[o, :]) for o in [0, outCount), four weight rows at a time so each x load feeds four FMAs.
    private static void DotAgainstRows(ReadOnlySpan<float> x, ReadOnlySpan<float> w, int outCount, Span<float> dst)
    {
        int n = x.Length;
        int vw = Vector<float>.Count;
        int vecEnd = n - n % vw;
        ref float xr = ref MemoryMarshal.GetReference(x);
        int o = 0;
        for (; o + 4 <= outCount; o += 4)
        {
            ref float w0 = ref MemoryMarshal.GetReference(w.Slice(o * n, 4 * n));
            ref float w1 = ref Unsafe.Add(ref w0, n);
            ref float w2 = ref Unsafe.Add(ref w1, n);
            ref float w3 = ref Unsafe.Add(ref w2, n);
            Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (int k = 0; k < vecEnd; k += vw)
            {
                Vector<float> xv = Vector.LoadUnsafe(ref xr, (nuint)k);
                a0 = Vector.MultiplyAddEstimate(xv, Vector.LoadUnsafe(ref w0, (nuint)k), a0);
                a1 = Vector.MultiplyAddEstimate(xv, Vector.LoadUnsafe(ref w1, (nuint)k), a1);
                a2 = Vector.MultiplyAddEstimate(xv, Vector.LoadUnsafe(ref w2, (nuint)k), a2);
                a3 = Vector.MultiplyAddEstimate(xv, Vector.LoadUnsafe(ref w3, (nuint)k), a3);
            }

            float s0 = Vector.Sum(a0), s1 = Vector.Sum(a1), s2 = Vector.Sum(a2), s3 = Vector.Sum(a3);
            for (int k = vecEnd; k < n; k++)
            {
                float xk = Unsafe.Add(ref xr, k);
                s0 += xk * Unsafe.Add(ref w0, k);
                s1 += xk * Unsafe.Add(ref w1, k);
                s2 += xk * Unsafe.Add(ref w2, k);
                s3 += xk * Unsafe.Add(ref w3, k);
            }

            dst[o] = s0;
            dst[o + 1] = s1;
            dst[o + 2] = s2;
            dst[o + 3] = s3;
        }

        for (; o < outCount; o++)
        {
            dst[o] = TensorPrimitives.Dot(x, w.Slice(o * n, n));
        }
    }
}
