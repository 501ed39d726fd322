using System.Runtime.CompilerServices;

namespace ModelZoo.Training.Optimizers;

/// <summary>
/// The curvature pairs of <see cref="Lbfgs"/> in a ring of <c>memory</c> slots, and the two-loop recursion that turns
/// them into a search direction. A pair with too little curvature is not kept, so that the inverse-Hessian estimate
/// stays positive definite.
/// </summary>
internal sealed class LbfgsHistory
{
    private readonly double[][] _s;
    private readonly double[][] _y;
    private readonly double[] _rho;
    private readonly double[] _alpha;
    private int _stored;
    private int _newest = -1;

    /// <summary>An empty history of <paramref name="memory"/> pairs of vectors of length <paramref name="length"/>.</summary>
    public LbfgsHistory(int memory, int length)
    {
        _s = new double[memory][];
        _y = new double[memory][];
        _rho = new double[memory];
        _alpha = new double[memory];
        for (int k = 0; k < memory; k++)
        {
            _s[k] = new double[length];
            _y[k] = new double[length];
        }
    }

    /// <summary>Whether no pair is kept (the next step is steepest descent).</summary>
    public bool IsEmpty => _stored == 0;

    /// <summary>Forgets the pairs; the ring keeps its position, so the next pair takes the following slot.</summary>
    public void Clear() => _stored = 0;

    /// <summary>Writes <c>-H g</c> into <paramref name="direction"/> (two-loop recursion, newest pair first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Direction(double[] g, double[] direction)
    {
        int memory = _s.Length;
        Lbfgs.Negate(g, direction);
        for (int j = 0; j < _stored; j++)
        {
            int k = (_newest - j + memory) % memory;
            _alpha[k] = _rho[k] * DoubleKernels.Dot(_s[k], direction);
            DoubleKernels.Axpy(-_alpha[k], _y[k], direction);
        }

        if (_stored > 0)
        {
            double gamma = DoubleKernels.Dot(_s[_newest], _y[_newest]) / DoubleKernels.Dot(_y[_newest], _y[_newest]);
            Scale(direction, gamma);
        }

        for (int j = _stored - 1; j >= 0; j--)
        {
            int k = (_newest - j + memory) % memory;
            double beta = _rho[k] * DoubleKernels.Dot(_y[k], direction);
            DoubleKernels.Axpy(_alpha[k] - beta, _s[k], direction);
        }
    }

    /// <summary>Keeps the step <c>xNew - x</c> and the gradient change <c>gNew - g</c> if their curvature is positive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(double[] x, double[] xNew, double[] g, double[] gNew)
    {
        int memory = _s.Length;
        int slot = (_newest + 1) % memory;
        var s = _s[slot];
        var y = _y[slot];
        double sy = 0, yy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s[i] = xNew[i] - x[i];
            y[i] = gNew[i] - g[i];
            sy += s[i] * y[i];
            yy += y[i] * y[i];
        }

        if (sy > 1e-12 * yy && yy > 0)
        {
            _rho[slot] = 1.0 / sy;
            _newest = slot;
            _stored = Math.Min(_stored + 1, memory);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scale(double[] x, double a)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] *= a;
        }
    }
}
