using System.Runtime.CompilerServices;

namespace ModelZoo.Training.Optimizers;

/// <summary>
/// Limited-memory BFGS for smooth (here: convex) objectives in double precision: two-loop recursion over the last
/// <c>memory</c> curvature pairs, a backtracking line search with the Armijo condition (the first step is scaled so that
/// the first move has unit length, later steps try 1 first), and pairs with too little curvature skipped so that the
/// inverse-Hessian estimate stays positive definite. Deterministic: no randomness, and the objective decides the order
/// of its own floating-point sums.
/// </summary>
internal static class Lbfgs
{
    /// <summary>How a minimisation ended.</summary>
    internal readonly record struct Outcome(int Iterations, int Evaluations, double Value, double GradientNorm, bool Converged);

    /// <summary>Objective: writes the gradient at <c>x</c> into <c>gradient</c> and returns the value.</summary>
    internal delegate double Objective(ReadOnlySpan<double> x, Span<double> gradient);

    /// <summary>
    /// Minimises <paramref name="objective"/> from <paramref name="x"/> (updated in place). Stops when the largest
    /// gradient component is at most <paramref name="tolerance"/>, when a full iteration changes the value by less
    /// than 1e-15 relative (the floating-point floor), or after <paramref name="maxIterations"/>.
    /// </summary>
    /// <param name="objective">Value and gradient.</param>
    /// <param name="x">Start point; holds the minimiser afterwards.</param>
    /// <param name="tolerance">Largest gradient component at which to stop.</param>
    /// <param name="maxIterations">Most iterations.</param>
    /// <param name="memory">Curvature pairs kept.</param>
    /// <param name="onIteration">Called after every iteration with its 1-based number, value and gradient max-norm.</param>
    /// <param name="cancellationToken">Checked every iteration.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Outcome Minimize(Objective objective, double[] x, double tolerance, int maxIterations, int memory = 10,
        Action<int, double, double>? onIteration = null, CancellationToken cancellationToken = default)
    {
        int n = x.Length;
        var g = new double[n];
        var xNew = new double[n];
        var gNew = new double[n];
        var direction = new double[n];
        var s = new double[memory][];
        var y = new double[memory][];
        var rho = new double[memory];
        var alpha = new double[memory];
        for (int k = 0; k < memory; k++)
        {
            s[k] = new double[n];
            y[k] = new double[n];
        }

        double f = objective(x, g);
        int evaluations = 1;
        double gNorm = MaxAbs(g);
        if (!double.IsFinite(f) || gNorm <= tolerance)
        {
            return new Outcome(0, evaluations, f, gNorm, double.IsFinite(f));
        }

        int stored = 0, newest = -1;
        int stalls = 0;
        for (int iteration = 1; iteration <= maxIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Two-loop recursion: direction = -H g.
            for (int i = 0; i < n; i++)
            {
                direction[i] = -g[i];
            }

            for (int j = 0; j < stored; j++)
            {
                int k = (newest - j + memory) % memory;
                alpha[k] = rho[k] * Dot(s[k], direction);
                Axpy(-alpha[k], y[k], direction);
            }

            if (stored > 0)
            {
                double gamma = Dot(s[newest], y[newest]) / Dot(y[newest], y[newest]);
                Scale(direction, gamma);
            }

            for (int j = stored - 1; j >= 0; j--)
            {
                int k = (newest - j + memory) % memory;
                double beta = rho[k] * Dot(y[k], direction);
                Axpy(alpha[k] - beta, s[k], direction);
            }

            double slope = Dot(g, direction);
            if (!(slope < 0))
            {
                // Not a descent direction (rounding on a nearly flat objective): restart from steepest descent.
                stored = 0;
                for (int i = 0; i < n; i++)
                {
                    direction[i] = -g[i];
                }

                slope = -Dot(g, g);
            }

            double step = stored == 0 ? Math.Min(1.0, 1.0 / Math.Sqrt(-slope)) : 1.0;
            double fNew = double.NaN;
            bool accepted = false;
            for (int trial = 0; trial < 60; trial++)
            {
                DoubleKernels.AddScaled(x, step, direction, xNew);

                fNew = objective(xNew, gNew);
                evaluations++;
                if (double.IsFinite(fNew) && fNew <= f + (1e-4 * step * slope))
                {
                    accepted = true;
                    break;
                }

                // Quadratic interpolation of the step, kept within [0.1, 0.5] of the last one.
                double quadratic = double.IsFinite(fNew) ? -slope * step * step / (2 * (fNew - f - (slope * step))) : 0.1 * step;
                step = Math.Clamp(quadratic, 0.1 * step, 0.5 * step);
            }

            if (!accepted)
            {
                return new Outcome(iteration - 1, evaluations, f, gNorm, gNorm <= tolerance);
            }

            int slot = (newest + 1) % memory;
            double sy = 0, yy = 0;
            for (int i = 0; i < n; i++)
            {
                s[slot][i] = xNew[i] - x[i];
                y[slot][i] = gNew[i] - g[i];
                sy += s[slot][i] * y[slot][i];
                yy += y[slot][i] * y[slot][i];
            }

            if (sy > 1e-12 * yy && yy > 0)
            {
                rho[slot] = 1.0 / sy;
                newest = slot;
                stored = Math.Min(stored + 1, memory);
            }

            double change = f - fNew;
            xNew.CopyTo(x, 0);
            gNew.CopyTo(g, 0);
            f = fNew;
            gNorm = MaxAbs(g);
            onIteration?.Invoke(iteration, f, gNorm);
            if (gNorm <= tolerance)
            {
                return new Outcome(iteration, evaluations, f, gNorm, true);
            }

            stalls = change <= 1e-15 * Math.Max(1.0, Math.Abs(f)) ? stalls + 1 : 0;
            if (stalls >= 3)
            {
                return new Outcome(iteration, evaluations, f, gNorm, false);
            }
        }

        return new Outcome(maxIterations, evaluations, f, gNorm, false);
    }

    private static double Dot(double[] a, double[] b) => DoubleKernels.Dot(a, b);

    private static void Axpy(double a, double[] x, double[] y) => DoubleKernels.Axpy(a, x, y);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scale(double[] x, double a)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] *= a;
        }
    }

    private static double MaxAbs(double[] x) => DoubleKernels.MaxAbs(x);
}
