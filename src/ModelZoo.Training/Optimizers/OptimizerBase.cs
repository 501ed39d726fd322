namespace ModelZoo.Training.Optimizers;

/// <summary>
/// What the update rules share: the learning rate a schedule sets, the weight decay that applies to parameters whose
/// <see cref="Parameter.ApplyWeightDecay"/> is true, the step count, and a step that updates every parameter in turn.
/// </summary>
public abstract class OptimizerBase : IOptimizer
{
    /// <summary>Sets the starting learning rate and the weight decay.</summary>
    protected OptimizerBase(float learningRate, float weightDecay)
    {
        LearningRate = learningRate;
        WeightDecay = weightDecay;
    }

    /// <inheritdoc />
    public float LearningRate { get; set; }

    /// <summary>Weight decay coefficient.</summary>
    public float WeightDecay { get; }

    /// <inheritdoc />
    public int StepCount { get; private set; }

    /// <inheritdoc />
    public void Step(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        StepCount++;
        for (int i = 0; i < parameters.Count; i++)
        {
            Update(parameters[i]);
        }
    }

    /// <inheritdoc />
    public void Reset()
    {
        ClearState();
        StepCount = 0;
    }

    /// <summary>The weight decay that applies to <paramref name="parameter"/> (0 where it is exempt).</summary>
    protected float DecayOf(Parameter parameter) => parameter.ApplyWeightDecay ? WeightDecay : 0f;

    /// <summary>Updates one parameter from its gradient, in place.</summary>
    protected abstract void Update(Parameter parameter);

    /// <summary>Forgets the per-parameter state (moments, momentum buffers).</summary>
    protected abstract void ClearState();
}
