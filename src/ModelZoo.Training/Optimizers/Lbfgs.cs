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
        var history = new LbfgsHistory(memory, n);

        double f = objective(x, g);
        int evaluations = 1;
        double gNorm = DoubleKernels.MaxAbs(g);
        if (!double.IsFinite(f) || gNorm <= tolerance)
        {
            return new Outcome(0, evaluations, f, gNorm, double.IsFinite(f));
        }

        int stalls = 0;
        for (int iteration = 1; iteration <= maxIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            history.Direction(g, direction);
            double slope = DoubleKernels.Dot(g, direction);
            if (!(slope < 0))
            {
                // Not a descent direction (rounding on a nearly flat objective): restart from steepest descent.
                history.Clear();
                Negate(g, direction);
                slope = -DoubleKernels.Dot(g, g);
            }

            double step = history.IsEmpty ? Math.Min(1.0, 1.0 / Math.Sqrt(-slope)) : 1.0;
            var (accepted, fNew, trials) = LineSearch(objective, x, f, slope, step, direction, xNew, gNew);
            evaluations += trials;
            if (!accepted)
            {
                return new Outcome(iteration - 1, evaluations, f, gNorm, gNorm <= tolerance);
            }

            history.Add(x, xNew, g, gNew);
            double change = f - fNew;
            xNew.CopyTo(x, 0);
            gNew.CopyTo(g, 0);
            f = fNew;
            gNorm = DoubleKernels.MaxAbs(g);
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

    /// <summary>Writes <c>-g</c> into <paramref name="result"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Negate(double[] g, double[] result)
    {
        for (int i = 0; i < g.Length; i++)
        {
            result[i] = -g[i];
        }
    }

    // Backtracking from `step` along `direction` until the Armijo condition holds (at most 60 trials); the point and
    // gradient tried last are left in xNew and gNew.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (bool Accepted, double Value, int Evaluations) LineSearch(Objective objective, double[] x, double f,
        double slope, double step, double[] direction, double[] xNew, double[] gNew)
    {
        double fNew = double.NaN;
        for (int trial = 0; trial < 60; trial++)
        {
            DoubleKernels.AddScaled(x, step, direction, xNew);
            fNew = objective(xNew, gNew);
            if (double.IsFinite(fNew) && fNew <= f + (1e-4 * step * slope))
            {
                return (true, fNew, trial + 1);
            }

            // Quadratic interpolation of the step, kept within [0.1, 0.5] of the last one.
            double quadratic = double.IsFinite(fNew) ? -slope * step * step / (2 * (fNew - f - (slope * step))) : 0.1 * step;
            step = Math.Clamp(quadratic, 0.1 * step, 0.5 * step);
        }

        return (false, fNew, 60);
    }
}
