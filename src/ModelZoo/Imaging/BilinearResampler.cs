using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ModelZoo.Imaging;

/// <summary>
/// Separable, antialiased bilinear (triangle-filter) resampling of 8-bit RGB, following the
/// algorithm of PIL's <c>Image.resize(..., BILINEAR)</c> that torchvision's <c>Resize</c> uses on PIL
/// images: when shrinking, the triangle widens with the scale factor so every source pixel
/// contributes (no aliasing); when enlarging it is plain bilinear with half-pixel centres. Like PIL,
/// the horizontal pass is rounded to 8 bits before the vertical pass, and both passes use PIL's
/// fixed-point weights (22 fractional bits, round half up), so results match PIL to within one level.
/// </summary>
/// <remarks>
/// Written here rather than taken from Skia because Skia's linear sampling uses a fixed 2×2 footprint
/// (aliasing on large reductions) and its mipmap/cubic paths do not reproduce the reference pipeline
/// the models' accuracy figures were measured with. The weight tables of one axis depend only on
/// (source size, resized size, window) and are cached, so a pipeline that sees photos of the same size
/// computes them once. Thread-safe; scratch rows come from <see cref="ArrayPool{T}.Shared"/>.
/// </remarks>
internal static class BilinearResampler
{
    private const int PrecisionBits = 32 - 8 - 2;
    private const int Half = 1 << (PrecisionBits - 1);
    private const int MaxCachedTables = 256;

    private static readonly ConcurrentDictionary<(int In, int Out, int First, int Count), Coefficients> Tables = new();

    /// <summary>
    /// Resizes <paramref name="src"/> (<paramref name="srcW"/>×<paramref name="srcH"/>) conceptually to
    /// <paramref name="resizedW"/>×<paramref name="resizedH"/> and writes only the window
    /// [<paramref name="cropX"/>, +<paramref name="copyW"/>) × [<paramref name="cropY"/>, +<paramref name="copyH"/>)
    /// of that result into <paramref name="dst"/> at (<paramref name="dstX"/>, <paramref name="dstY"/>);
    /// <paramref name="dstW"/> is the destination's width in pixels.
    /// </summary>
    public static void ResizeWindow(
        ReadOnlySpan<byte> src, int srcW, int srcH,
        int resizedW, int resizedH, int cropX, int cropY, int copyW, int copyH,
        Span<byte> dst, int dstW, int dstX, int dstY)
    {
        if (src.Length < 3 * srcW * srcH || dst.Length < 3 * ((dstY + copyH - 1) * dstW + dstX + copyW))
        {
            throw new ArgumentException("Source or destination is smaller than the sizes given.");
        }
        var xs = Table(srcW, resizedW, cropX, copyW);
        var ys = Table(srcH, resizedH, cropY, copyH);

        // Source rows the vertical pass reads.
        var firstRow = ys.Bounds[0];
        var lastRow = ys.Bounds[2 * (copyH - 1)] + ys.Bounds[2 * (copyH - 1) + 1];
        var rows = lastRow - firstRow;
        var tmpStride = 3 * copyW;
        var tmp = ArrayPool<byte>.Shared.Rent(rows * tmpStride);
        try
        {
            for (var r = 0; r < rows; r++)
            {
                Horizontal(src.Slice(3 * (firstRow + r) * srcW, 3 * srcW), tmp.AsSpan(r * tmpStride, tmpStride), xs, copyW);
            }
            for (var i = 0; i < copyH; i++)
            {
                var outRow = dst.Slice(3 * ((dstY + i) * dstW + dstX), tmpStride);
                var start = ys.Bounds[2 * i] - firstRow;
                var count = ys.Bounds[2 * i + 1];
                Vertical(tmp.AsSpan(start * tmpStride, count * tmpStride), tmpStride, ys.Weights.AsSpan(i * ys.KernelSize, count), outRow);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(tmp);
        }
    }

    private static Coefficients Table(int inSize, int outSize, int first, int count)
    {
        var key = (inSize, outSize, first, count);
        if (Tables.TryGetValue(key, out var table))
        {
            return table;
        }
        table = Coefficients.Compute(inSize, outSize, first, count);
        if (Tables.Count >= MaxCachedTables)
        {
            Tables.Clear();
        }
        Tables.TryAdd(key, table);
        return table;
    }

    /// <remarks>With SSE4.1 a pixel's three channels are summed in one vector of 32-bit lanes (the fourth lane, the next
    /// pixel's red, is dropped): the same integer sums as the scalar loop, so results are bit for bit unchanged. The
    /// scalar loop takes the windows that end on the row's last pixel, whose 4-byte load would run past the row.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Horizontal(ReadOnlySpan<byte> row, Span<byte> output, Coefficients xs, int count)
    {
        ref var src = ref MemoryMarshal.GetReference(row);
        ref var dst = ref MemoryMarshal.GetReference(output);
        ref var bounds = ref MemoryMarshal.GetArrayDataReference(xs.Bounds);
        ref var weights = ref MemoryMarshal.GetArrayDataReference(xs.Weights);
        var kernel = xs.KernelSize;
        var vectorEnd = row.Length - 4;
        for (var j = 0; j < count; j++)
        {
            var s = 3 * Unsafe.Add(ref bounds, 2 * j);
            var n = Unsafe.Add(ref bounds, 2 * j + 1);
            ref var w = ref Unsafe.Add(ref weights, j * kernel);
            if (Sse41.IsSupported && s + 3 * (n - 1) <= vectorEnd)
            {
                var sum = Vector128.Create(Half);
                fixed (byte* p = &Unsafe.Add(ref src, s))
                {
                    for (var k = 0; k < n; k++)
                    {
                        sum += Sse41.ConvertToVector128Int32(p + 3 * k) * Vector128.Create(Unsafe.Add(ref w, k));
                    }
                }
                Unsafe.Add(ref dst, 3 * j) = Clip8(sum.GetElement(0));
                Unsafe.Add(ref dst, 3 * j + 1) = Clip8(sum.GetElement(1));
                Unsafe.Add(ref dst, 3 * j + 2) = Clip8(sum.GetElement(2));
                continue;
            }
            int r = Half, g = Half, b = Half;
            for (var k = 0; k < n; k++, s += 3)
            {
                var wk = Unsafe.Add(ref w, k);
                r += wk * Unsafe.Add(ref src, s);
                g += wk * Unsafe.Add(ref src, s + 1);
                b += wk * Unsafe.Add(ref src, s + 2);
            }
            Unsafe.Add(ref dst, 3 * j) = Clip8(r);
            Unsafe.Add(ref dst, 3 * j + 1) = Clip8(g);
            Unsafe.Add(ref dst, 3 * j + 2) = Clip8(b);
        }
    }

    /// <summary>One output row from <paramref name="w"/>.Length consecutive rows of <paramref name="rows"/>.</summary>
    /// <remarks>Sixteen bytes of the row at a time in 32-bit lanes: the same integer sums as the scalar loop, so the
    /// result is bit for bit what it was; the scalar loop finishes the tail.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Vertical(ReadOnlySpan<byte> rows, int stride, ReadOnlySpan<int> w, Span<byte> output)
    {
        ref var src = ref MemoryMarshal.GetReference(rows);
        ref var dst = ref MemoryMarshal.GetReference(output);
        ref var weights = ref MemoryMarshal.GetReference(w);
        var n = w.Length;
        var length = output.Length;
        var o = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var half = Vector256.Create(Half);
            var max = Vector256.Create(255);
            for (; o + 16 <= length; o += 16)
            {
                Vector256<int> lo = half, hi = half;
                var s = o;
                for (var k = 0; k < n; k++, s += stride)
                {
                    var wk = Vector256.Create(Unsafe.Add(ref weights, k));
                    var bytes = Vector256.WidenLower(Vector128.LoadUnsafe(ref src, (nuint)s).ToVector256Unsafe());
                    var (l, h) = Vector256.Widen(bytes);
                    lo += l.AsInt32() * wk;
                    hi += h.AsInt32() * wk;
                }
                lo = Vector256.Min(Vector256.Max(Vector256.ShiftRightArithmetic(lo, PrecisionBits), Vector256<int>.Zero), max);
                hi = Vector256.Min(Vector256.Max(Vector256.ShiftRightArithmetic(hi, PrecisionBits), Vector256<int>.Zero), max);
                var words = Vector256.Narrow(lo, hi).AsUInt16();
                Vector256.Narrow(words, words).GetLower().StoreUnsafe(ref dst, (nuint)o);
            }
        }
        for (; o < length; o++)
        {
            var sum = Half;
            var s = o;
            for (var k = 0; k < n; k++, s += stride)
            {
                sum += Unsafe.Add(ref weights, k) * Unsafe.Add(ref src, s);
            }
            Unsafe.Add(ref dst, o) = Clip8(sum);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Clip8(int v)
    {
        v >>= PrecisionBits;
        return (uint)v <= 255u ? (byte)v : v < 0 ? (byte)0 : (byte)255;
    }

    /// <summary>Per-output-pixel source windows and fixed-point triangle weights for one axis (immutable once built).</summary>
    private sealed class Coefficients
    {
        private Coefficients(int[] bounds, int[] weights, int kernelSize)
        {
            Bounds = bounds;
            Weights = weights;
            KernelSize = kernelSize;
        }

        /// <summary>Start and count of the source window, per output index.</summary>
        public int[] Bounds { get; }

        /// <summary><see cref="KernelSize"/> weights per output index, summing to about 2^22.</summary>
        public int[] Weights { get; }

        public int KernelSize { get; }

        /// <summary>Coefficients for output indices [first, first+count) of an inSize→outSize resize.</summary>
        public static Coefficients Compute(int inSize, int outSize, int first, int count)
        {
            var scale = (double)inSize / outSize;
            var filterScale = Math.Max(scale, 1.0);
            var support = 1.0 * filterScale; // the triangle's radius is 1 output pixel
            var kernelSize = (int)Math.Ceiling(support) * 2 + 1;
            var bounds = new int[2 * count];
            var weights = new int[kernelSize * count];
            var raw = new double[kernelSize];
            var inverse = 1.0 / filterScale;
            for (var i = 0; i < count; i++)
            {
                var center = (first + i + 0.5) * scale;
                var min = Math.Max((int)(center - support + 0.5), 0);
                var max = Math.Min((int)(center + support + 0.5), inSize);
                var n = max - min;
                var total = 0.0;
                for (var k = 0; k < n; k++)
                {
                    var t = Math.Abs((min + k - center + 0.5) * inverse);
                    raw[k] = t < 1.0 ? 1.0 - t : 0.0;
                    total += raw[k];
                }
                for (var k = 0; k < n; k++)
                {
                    var v = total > 0 ? raw[k] / total : 0.0;
                    weights[i * kernelSize + k] = (int)(v * (1 << PrecisionBits) + 0.5);
                }
                bounds[2 * i] = min;
                bounds[2 * i + 1] = n;
            }
            return new Coefficients(bounds, weights, kernelSize);
        }
    }
}
