namespace ModelZoo.Training.Optimizers;

/// <summary>
/// An update rule: reads each parameter's gradient and changes its values in place. Implementations
/// keep per-parameter state (moments, momentum buffers) keyed by the <see cref="Parameter"/> instance,
/// so the same instances must be passed on every step. Not thread-safe.
/// </summary>
public interface IOptimizer
{
    /// <summary>Learning rate used by the next <see cref="Step"/>; a schedule sets it before each step.</summary>
    float LearningRate { get; set; }

    /// <summary>Number of steps taken so far.</summary>
    int StepCount { get; }

    /// <summary>Applies one update to every parameter from its current gradient. Gradients are left as they are.</summary>
    void Step(IReadOnlyList<Parameter> parameters);

    /// <summary>Forgets all state (moments, momentum buffers, step count).</summary>
    void Reset();
}
