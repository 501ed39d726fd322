using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ModelZoo.Training.Optimizers;

/// <summary>
/// Double-precision vector kernels for the full-batch solver (<see cref="Lbfgs"/> and the softmax objective). They are
/// compiled fully optimised on first call: a head solve runs once per process, so kernels left to tiered compilation
/// would spend most of that one solve in unoptimised code. Each result is summed in one fixed order, so it does not
/// depend on threads.
/// </summary>
internal static class DoubleKernels
{
    /// <summary><c>Σ a[k] · b[k]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = a.Length;
        int vw = Vector<double>.Count;
        ref double ar = ref MemoryMarshal.GetReference(a);
        ref double br = ref MemoryMarshal.GetReference(b);
        Vector<double> s0 = default, s1 = default;
        int k = 0;
        for (; k + (2 * vw) <= n; k += 2 * vw)
        {
            s0 = Vector.MultiplyAddEstimate(Vector.LoadUnsafe(ref ar, (nuint)k), Vector.LoadUnsafe(ref br, (nuint)k), s0);
            s1 = Vector.MultiplyAddEstimate(Vector.LoadUnsafe(ref ar, (nuint)(k + vw)), Vector.LoadUnsafe(ref br, (nuint)(k + vw)), s1);
        }

        double sum = Vector.Sum(s0 + s1);
        for (; k < n; k++)
        {
            sum += Unsafe.Add(ref ar, k) * Unsafe.Add(ref br, k);
        }

        return sum;
    }

    /// <summary><c>y[k] += a · x[k]</c>.</summary>
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y) => AddScaled(y, a, x, y);

    /// <summary><c>z[k] = x[k] + a · y[k]</c>; <paramref name="z"/> may be <paramref name="x"/> or <paramref name="y"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddScaled(ReadOnlySpan<double> x, double a, ReadOnlySpan<double> y, Span<double> z)
    {
        int n = z.Length;
        int vw = Vector<double>.Count;
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        ref double zr = ref MemoryMarshal.GetReference(z);
        var av = new Vector<double>(a);
        int k = 0;
        for (; k + vw <= n; k += vw)
        {
            Vector.MultiplyAddEstimate(av, Vector.LoadUnsafe(ref yr, (nuint)k), Vector.LoadUnsafe(ref xr, (nuint)k)).StoreUnsafe(ref zr, (nuint)k);
        }

        for (; k < n; k++)
        {
            Unsafe.Add(ref zr, k) = Unsafe.Add(ref xr, k) + (a * Unsafe.Add(ref yr, k));
        }
    }

    /// <summary><c>dst[c] = bias[c] + Σ_k x[k] · w[c, k]</c> for every row c of the row-major <c>[dst.Length, x.Length]</c> matrix <paramref name="w"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AffineRows(ReadOnlySpan<double> x, ReadOnlySpan<double> w, ReadOnlySpan<double> bias, Span<double> dst)
    {
        int d = x.Length, rows = dst.Length;
        int vw = Vector<double>.Count;
        int vecEnd = d - (d % vw);
        ref double xr = ref MemoryMarshal.GetReference(x);
        int c = 0;
        // Two weight rows at a time, so each load of x feeds two multiply-adds.
        for (; c + 2 <= rows; c += 2)
        {
            ref double w0 = ref MemoryMarshal.GetReference(w.Slice(c * d, 2 * d));
            ref double w1 = ref Unsafe.Add(ref w0, d);
            Vector<double> a0 = default, a1 = default;
            for (int k = 0; k < vecEnd; k += vw)
            {
                Vector<double> xv = Vector.LoadUnsafe(ref xr, (nuint)k);
                a0 = Vector.MultiplyAddEstimate(xv, Vector.LoadUnsafe(ref w0, (nuint)k), a0);
                a1 = Vector.MultiplyAddEstimate(xv, Vector.LoadUnsafe(ref w1, (nuint)k), a1);
            }

            double s0 = bias[c] + Vector.Sum(a0), s1 = bias[c + 1] + Vector.Sum(a1);
            for (int k = vecEnd; k < d; k++)
            {
                s0 += Unsafe.Add(ref xr, k) * Unsafe.Add(ref w0, k);
                s1 += Unsafe.Add(ref xr, k) * Unsafe.Add(ref w1, k);
            }

            (dst[c], dst[c + 1]) = (s0, s1);
        }

        for (; c < rows; c++)
        {
            dst[c] = bias[c] + Dot(x, w.Slice(c * d, d));
        }
    }

    /// <summary><c>g[c, k] += r[c] · x[k]</c> for every row c of the row-major <c>[r.Length, x.Length]</c> matrix <paramref name="g"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void OuterAdd(ReadOnlySpan<double> r, ReadOnlySpan<double> x, Span<double> g)
    {
        int d = x.Length;
        for (int c = 0; c < r.Length; c++)
        {
            Axpy(r[c], x, g.Slice(c * d, d));
        }
    }

    /// <summary>Largest absolute value, 0 for an empty span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double MaxAbs(ReadOnlySpan<double> x)
    {
        double max = 0;
        foreach (double v in x)
        {
            double a = Math.Abs(v);
            // NaN propagates, so that a diverged gradient never reads as converged.
            max = a > max || double.IsNaN(a) ? a : max;
        }

        return max;
    }
}
