namespace ModelZoo.Training.Optimizers;

/// <summary>
/// One trainable tensor, flattened: its values and a gradient buffer of the same length. Whoever
/// computes gradients (the head trainer, or ONNX Runtime when fine-tuning) writes
/// <see cref="Gradient"/>; an <see cref="IOptimizer"/> reads it and updates <see cref="Value"/> in place.
/// Optimizers keep their per-parameter state keyed by this object, so keep using the same instance.
/// </summary>
public sealed class Parameter
{
    /// <summary>Wraps <paramref name="value"/> (not copied) and allocates a zeroed gradient buffer.</summary>
    /// <param name="name">Name used in diagnostics, e.g. <c>head.fc1.weight</c>.</param>
    /// <param name="value">The values, updated in place by optimizers.</param>
    /// <param name="applyWeightDecay">False for biases and normalisation parameters, which are usually not decayed.</param>
    public Parameter(string name, float[] value, bool applyWeightDecay = true)
        : this(name, value, new float[value.Length], applyWeightDecay)
    {
    }

    /// <summary>Wraps existing value and gradient buffers (neither copied); they must have the same length.</summary>
    /// <param name="name">Name used in diagnostics.</param>
    /// <param name="value">The values, updated in place by optimizers.</param>
    /// <param name="gradient">The gradient buffer, same length as <paramref name="value"/>.</param>
    /// <param name="applyWeightDecay">False for biases and normalisation parameters.</param>
    public Parameter(string name, float[] value, float[] gradient, bool applyWeightDecay = true)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(gradient);
        if (gradient.Length != value.Length)
        {
            throw new ArgumentException($"Parameter '{name}' has {value.Length} values but {gradient.Length} gradients; pass buffers of the same length.", nameof(gradient));
        }

        Name = name;
        Value = value;
        Gradient = gradient;
        ApplyWeightDecay = applyWeightDecay;
    }

    /// <summary>Name used in diagnostics.</summary>
    public string Name { get; }

    /// <summary>The values, updated in place by optimizers.</summary>
    public float[] Value { get; }

    /// <summary>The gradient of the loss with respect to <see cref="Value"/>, written before each optimizer step.</summary>
    public float[] Gradient { get; }

    /// <summary>Whether the optimizer's weight decay applies to this parameter.</summary>
    public bool ApplyWeightDecay { get; }

    /// <summary>Number of scalar values.</summary>
    public int Length => Value.Length;
}
