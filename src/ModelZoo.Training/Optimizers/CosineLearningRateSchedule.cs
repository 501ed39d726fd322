namespace ModelZoo.Training.Optimizers;

/// <summary>
/// Linear warm-up over the first <see cref="WarmupSteps"/> steps (step <c>s</c> gets
/// <c>base × (s + 1) / warmup</c>), then half-cosine decay from the base rate at the first step after
/// warm-up to <see cref="MinLearningRate"/> at step <see cref="TotalSteps"/>. Steps past the end keep the minimum.
/// </summary>
public sealed class CosineLearningRateSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="baseLearningRate">Peak rate, reached at the end of warm-up.</param>
    /// <param name="totalSteps">Total number of optimizer steps in training, warm-up included.</param>
    /// <param name="warmupSteps">Steps of linear warm-up.</param>
    /// <param name="minLearningRate">Rate at the end of the decay.</param>
    public CosineLearningRateSchedule(float baseLearningRate, int totalSteps, int warmupSteps = 0, float minLearningRate = 0f)
    {
        if (!(baseLearningRate >= 0f) || !(minLearningRate >= 0f) || totalSteps < 1 || warmupSteps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(totalSteps), "The cosine schedule needs non-negative rates, at least one step and non-negative warm-up.");
        }

        BaseLearningRate = baseLearningRate;
        TotalSteps = totalSteps;
        WarmupSteps = warmupSteps;
        MinLearningRate = minLearningRate;
    }

    /// <summary>Peak rate.</summary>
    public float BaseLearningRate { get; }

    /// <summary>Total steps, warm-up included.</summary>
    public int TotalSteps { get; }

    /// <summary>Steps of linear warm-up.</summary>
    public int WarmupSteps { get; }

    /// <summary>Rate at the end of the decay.</summary>
    public float MinLearningRate { get; }

    /// <inheritdoc />
    public override float GetLearningRate(int step)
    {
        if (step < WarmupSteps)
        {
            return BaseLearningRate * (step + 1) / WarmupSteps;
        }

        int decaySteps = TotalSteps - WarmupSteps;
        if (decaySteps <= 0)
        {
            return BaseLearningRate;
        }

        double progress = Math.Min(1.0, (double)(step - WarmupSteps) / decaySteps);
        double cosine = 0.5 * (1.0 + Math.Cos(Math.PI * progress));
        return (float)(MinLearningRate + (BaseLearningRate - MinLearningRate) * cosine);
    }
}
