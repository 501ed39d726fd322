using System.Numerics;
using System.Runtime.InteropServices;

namespace ModelZoo.Training.Optimizers;

/// <summary>
/// Adam (Kingma and Ba) with bias-corrected moments. Weight decay is decoupled by default (AdamW,
/// Loshchilov and Hutter): values shrink by <c>lr × decay</c> each step, independent of the gradient
/// scale. Set <see cref="DecoupledWeightDecay"/> to false for the classic L2 form, where
/// <c>decay × value</c> is added to the gradient before the moments.
/// </summary>
public sealed class AdamOptimizer : OptimizerBase
{
    private readonly Dictionary<Parameter, State> _states = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Initial learning rate.</param>
    /// <param name="beta1">Decay of the first-moment average.</param>
    /// <param name="beta2">Decay of the second-moment average.</param>
    /// <param name="epsilon">Added to the root of the second moment to avoid division by zero.</param>
    /// <param name="weightDecay">Weight decay for parameters whose <see cref="Parameter.ApplyWeightDecay"/> is true.</param>
    public AdamOptimizer(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
        : base(learningRate, weightDecay)
    {
        if (!(beta1 >= 0f && beta1 < 1f) || !(beta2 >= 0f && beta2 < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), "Adam betas must lie in [0, 1); pass values such as 0.9 and 0.999.");
        }

        if (!(epsilon > 0f) || !(weightDecay >= 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), "Adam epsilon must be positive and weight decay non-negative.");
        }

        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    /// <summary>Decay of the first-moment average.</summary>
    public float Beta1 { get; }

    /// <summary>Decay of the second-moment average.</summary>
    public float Beta2 { get; }

    /// <summary>Added to the root of the second moment.</summary>
    public float Epsilon { get; }

    /// <summary>True (default) for AdamW's decoupled decay; false for L2 added to the gradient.</summary>
    public bool DecoupledWeightDecay { get; init; } = true;

    /// <inheritdoc />
    protected override void Update(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (!_states.TryGetValue(parameter, out State? state))
        {
            state = new State(parameter.Length);
            _states.Add(parameter, state);
        }

        state.Steps++;
        Update(parameter, state);
    }

    /// <inheritdoc />
    protected override void ClearState() => _states.Clear();

    private void Update(Parameter p, State state)
    {
        float b1 = Beta1, b2 = Beta2;
        // Bias corrections folded into the step size and epsilon (the PyTorch formulation):
        // w -= lr/bc1 * m / (sqrt(v)/sqrt(bc2) + eps).
        double bc1 = 1.0 - Math.Pow(b1, state.Steps);
        double bc2 = 1.0 - Math.Pow(b2, state.Steps);
        float stepSize = (float)(LearningRate / bc1);
        float invSqrtBc2 = (float)(1.0 / Math.Sqrt(bc2));
        float eps = Epsilon;
        float decay = DecayOf(p);
        float decoupledScale = DecoupledWeightDecay ? 1f - LearningRate * decay : 1f;
        float l2 = DecoupledWeightDecay ? 0f : decay;

        Span<float> w = p.Value;
        ReadOnlySpan<float> g = p.Gradient;
        Span<float> m = state.M;
        Span<float> v = state.V;
        int n = w.Length;
        int k = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var vb1 = new Vector<float>(b1);
            var vb1c = new Vector<float>(1f - b1);
            var vb2 = new Vector<float>(b2);
            var vb2c = new Vector<float>(1f - b2);
            var vStep = new Vector<float>(stepSize);
            var vInv = new Vector<float>(invSqrtBc2);
            var vEps = new Vector<float>(eps);
            var vL2 = new Vector<float>(l2);
            var vKeep = new Vector<float>(decoupledScale);
            Span<Vector<float>> wv = MemoryMarshal.Cast<float, Vector<float>>(w);
            ReadOnlySpan<Vector<float>> gv = MemoryMarshal.Cast<float, Vector<float>>(g);
            Span<Vector<float>> mv = MemoryMarshal.Cast<float, Vector<float>>(m);
            Span<Vector<float>> vv = MemoryMarshal.Cast<float, Vector<float>>(v);
            for (int j = 0; j < wv.Length; j++)
            {
                Vector<float> wj = wv[j];
                Vector<float> gj = gv[j] + vL2 * wj;
                Vector<float> mj = vb1 * mv[j] + vb1c * gj;
                Vector<float> vj = vb2 * vv[j] + vb2c * gj * gj;
                mv[j] = mj;
                vv[j] = vj;
                wv[j] = wj * vKeep - vStep * mj / (Vector.SquareRoot(vj) * vInv + vEps);
            }

            k = wv.Length * Vector<float>.Count;
        }

        for (; k < n; k++)
        {
            float wk = w[k];
            float gk = g[k] + l2 * wk;
            float mk = b1 * m[k] + (1f - b1) * gk;
            float vk = b2 * v[k] + (1f - b2) * gk * gk;
            m[k] = mk;
            v[k] = vk;
            w[k] = wk * decoupledScale - stepSize * mk / (MathF.Sqrt(vk) * invSqrtBc2 + eps);
        }
    }

    private sealed class State(int length)
    {
        public float[] M { get; } = new float[length];

        public float[] V { get; } = new float[length];

        public int Steps { get; set; }
    }
}
