using System.Numerics.Tensors;

namespace ModelZoo.Training.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional (Nesterov) momentum, in the PyTorch formulation:
/// <c>g += decay × w; buf = momentum × buf + g; w -= lr × (nesterov ? g + momentum × buf : buf)</c>.
/// Weight decay here is L2 added to the gradient (for SGD that equals decoupled decay scaled by the learning rate).
/// </summary>
public sealed class SgdOptimizer : OptimizerBase
{
    private readonly Dictionary<Parameter, float[]> _buffers = new(ReferenceEqualityComparer.Instance);
    private float[] _scratch = [];

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">Initial learning rate.</param>
    /// <param name="momentum">Momentum in [0, 1); 0 is plain SGD.</param>
    /// <param name="weightDecay">L2 coefficient for parameters whose <see cref="Parameter.ApplyWeightDecay"/> is true.</param>
    /// <param name="nesterov">Use Nesterov momentum.</param>
    public SgdOptimizer(float learningRate = 1e-2f, float momentum = 0.9f, float weightDecay = 0f, bool nesterov = false)
        : base(learningRate, weightDecay)
    {
        if (!(momentum >= 0f && momentum < 1f) || !(weightDecay >= 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), "SGD momentum must lie in [0, 1) and weight decay must be non-negative.");
        }

        Momentum = momentum;
        Nesterov = nesterov;
    }

    /// <summary>Momentum coefficient.</summary>
    public float Momentum { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    protected override void Update(Parameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        Parameter p = parameter;
        if (_scratch.Length < p.Length)
        {
            _scratch = new float[p.Length];
        }

        Span<float> g = _scratch.AsSpan(0, p.Length);
        float decay = DecayOf(p);
        // g = grad + decay * w
        TensorPrimitives.MultiplyAdd(p.Value, decay, p.Gradient, g);

        if (Momentum > 0f)
        {
            if (!_buffers.TryGetValue(p, out float[]? buf))
            {
                // The first step starts the buffer at the gradient itself, as PyTorch does.
                buf = g.ToArray();
                _buffers.Add(p, buf);
            }
            else
            {
                TensorPrimitives.MultiplyAdd(buf, Momentum, g, buf);
            }

            if (Nesterov)
            {
                TensorPrimitives.MultiplyAdd(buf, Momentum, g, g);
            }
            else
            {
                buf.AsSpan().CopyTo(g);
            }
        }

        TensorPrimitives.MultiplyAdd(g, -LearningRate, p.Value, p.Value);
    }

    /// <inheritdoc />
    protected override void ClearState() => _buffers.Clear();
}
