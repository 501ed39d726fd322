namespace ModelZoo.Training.Optimizers;

/// <summary>The same learning rate at every step, optionally after a linear warm-up.</summary>
public sealed class ConstantLearningRateSchedule : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="learningRate">The rate.</param>
    /// <param name="warmupSteps">Steps of linear warm-up from <c>rate / warmupSteps</c> up to the rate.</param>
    public ConstantLearningRateSchedule(float learningRate, int warmupSteps = 0)
    {
        if (!(learningRate >= 0f) || warmupSteps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), "The learning rate and warm-up steps must be non-negative.");
        }

        LearningRate = learningRate;
        WarmupSteps = warmupSteps;
    }

    /// <summary>The rate after warm-up.</summary>
    public float LearningRate { get; }

    /// <summary>Steps of linear warm-up.</summary>
    public int WarmupSteps { get; }

    /// <inheritdoc />
    public override float GetLearningRate(int step) =>
        step < WarmupSteps ? LearningRate * (step + 1) / WarmupSteps : LearningRate;
}
