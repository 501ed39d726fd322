namespace ModelZoo.Training.Optimizers;

/// <summary>Maps an optimizer step index (0-based) to a learning rate.</summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate for step <paramref name="step"/> (0 is the first update).</summary>
    public abstract float GetLearningRate(int step);

    /// <summary>The same rate at every step, after an optional linear warm-up.</summary>
    public static LearningRateSchedule Constant(float learningRate, int warmupSteps = 0) => new ConstantLearningRateSchedule(learningRate, warmupSteps);

    /// <summary>Linear warm-up to <paramref name="baseLearningRate"/>, then half-cosine decay to <paramref name="minLearningRate"/>.</summary>
    public static LearningRateSchedule Cosine(float baseLearningRate, int totalSteps, int warmupSteps = 0, float minLearningRate = 0f) =>
        new CosineLearningRateSchedule(baseLearningRate, totalSteps, warmupSteps, minLearningRate);
}
