using ModelZoo.Training.Optimizers;

namespace ModelZoo.Training.Tests.Optimizers;

public class LearningRateScheduleTests
{
    [Fact]
    public void CosineStartsAtBaseHalvesAtMidpointAndEndsAtMinimum()
    {
        LearningRateSchedule s = LearningRateSchedule.Cosine(0.1f, totalSteps: 100, minLearningRate: 0.01f);
        Assert.Equal(0.1f, s.GetLearningRate(0), 1e-7f);
        Assert.Equal(0.055f, s.GetLearningRate(50), 1e-6f);
        Assert.Equal(0.01f, s.GetLearningRate(100), 1e-7f);
        Assert.Equal(0.01f, s.GetLearningRate(250), 1e-7f);
        Assert.Equal(0.01f + 0.09f * 0.5f * (1f + MathF.Cos(MathF.PI * 0.25f)), s.GetLearningRate(25), 1e-6f);
        for (int i = 1; i <= 100; i++)
        {
            Assert.True(s.GetLearningRate(i) <= s.GetLearningRate(i - 1));
        }
    }

    [Fact]
    public void WarmupRisesLinearlyThenCosineDecaysOverTheRest()
    {
        var s = new CosineLearningRateSchedule(1f, totalSteps: 110, warmupSteps: 10);
        Assert.Equal(0.1f, s.GetLearningRate(0), 1e-7f);
        Assert.Equal(0.5f, s.GetLearningRate(4), 1e-7f);
        Assert.Equal(1f, s.GetLearningRate(9), 1e-7f);
        Assert.Equal(1f, s.GetLearningRate(10), 1e-7f);
        Assert.Equal(0.5f, s.GetLearningRate(60), 1e-6f);
        Assert.Equal(0f, s.GetLearningRate(110), 1e-7f);
    }

    [Fact]
    public void ConstantStaysPutAfterWarmup()
    {
        LearningRateSchedule s = LearningRateSchedule.Constant(0.2f, warmupSteps: 4);
        Assert.Equal(0.05f, s.GetLearningRate(0), 1e-7f);
        Assert.Equal(0.2f, s.GetLearningRate(3), 1e-7f);
        Assert.Equal(0.2f, s.GetLearningRate(1000), 1e-7f);
    }
}
