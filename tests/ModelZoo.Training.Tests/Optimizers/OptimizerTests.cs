using ModelZoo.Training.Optimizers;

namespace ModelZoo.Training.Tests.Optimizers;

public class OptimizerTests
{
    // f(w) = ½ Σ a_i (w_i − t_i)², an ill-conditioned convex quadratic (condition number 100) with minimum at t.
    private static readonly float[] Curvature = [1f, 3f, 10f, 30f, 100f, 0.5f, 2f, 7f, 1f, 4f, 9f, 20f];
    private static readonly float[] Target = [1f, -2f, 0.5f, 3f, -1f, 2f, 0f, -0.5f, 4f, -3f, 1.5f, 0.25f];

    [Theory]
    [InlineData("adam")]
    [InlineData("adam-l2")]
    [InlineData("sgd")]
    [InlineData("sgd-nesterov")]
    public void ConvergesOnAConvexQuadratic(string which)
    {
        IOptimizer optimizer = which switch
        {
            "adam" => new AdamOptimizer(0.05f),
            "adam-l2" => new AdamOptimizer(0.05f) { DecoupledWeightDecay = false },
            "sgd" => new SgdOptimizer(0.009f, momentum: 0.9f),
            _ => new SgdOptimizer(0.009f, momentum: 0.9f, nesterov: true),
        };
        var p = new Parameter("w", new float[Curvature.Length]);
        float initial = Objective(p.Value);

        for (int step = 0; step < 2000; step++)
        {
            if (optimizer is AdamOptimizer)
            {
                // Decay Adam's step so that it settles rather than oscillating at the scale of the rate.
                optimizer.LearningRate = 0.05f * (1f - step / 2000f);
            }

            for (int i = 0; i < Curvature.Length; i++)
            {
                p.Gradient[i] = Curvature[i] * (p.Value[i] - Target[i]);
            }

            optimizer.Step([p]);
        }

        Assert.Equal(2000, optimizer.StepCount);
        Assert.True(Objective(p.Value) < 1e-6f * initial, $"{which}: objective {Objective(p.Value)} from {initial}");
        for (int i = 0; i < Target.Length; i++)
        {
            Assert.Equal(Target[i], p.Value[i], 2e-3f);
        }
    }

    [Fact]
    public void AdamFirstStepMovesEachWeightByTheLearningRate()
    {
        // With bias correction, the first update is lr · g/|g| regardless of the gradient's scale.
        var adam = new AdamOptimizer(0.1f);
        var p = new Parameter("w", [0f, 0f, 0f], applyWeightDecay: false);
        p.Gradient[0] = 1e-3f;
        p.Gradient[1] = -50f;
        p.Gradient[2] = 0f;
        adam.Step([p]);
        Assert.Equal(-0.1f, p.Value[0], 1e-4f);
        Assert.Equal(0.1f, p.Value[1], 1e-6f);
        Assert.Equal(0f, p.Value[2]);
    }

    [Fact]
    public void WeightDecaySkipsParametersThatOptOut()
    {
        var decayed = new Parameter("w", [1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f]);
        var bias = new Parameter("b", [1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f], applyWeightDecay: false);
        var adam = new AdamOptimizer(0.1f, weightDecay: 0.5f);
        adam.Step([decayed, bias]); // zero gradients: only decoupled decay acts
        Assert.All(decayed.Value, v => Assert.Equal(0.95f, v, 1e-6f));
        Assert.All(bias.Value, v => Assert.Equal(1f, v));

        var sgd = new SgdOptimizer(0.1f, momentum: 0f, weightDecay: 0.5f);
        sgd.Step([decayed, bias]);
        Assert.All(decayed.Value, v => Assert.Equal(0.95f * 0.95f, v, 1e-6f));
        Assert.All(bias.Value, v => Assert.Equal(1f, v));
    }

    [Fact]
    public void SgdMomentumAccumulatesLikePyTorch()
    {
        var p = new Parameter("w", [0f], applyWeightDecay: false);
        var sgd = new SgdOptimizer(1f, momentum: 0.5f);
        p.Gradient[0] = 1f;
        sgd.Step([p]); // buf = 1
        Assert.Equal(-1f, p.Value[0]);
        sgd.Step([p]); // buf = 0.5 + 1
        Assert.Equal(-2.5f, p.Value[0]);

        var n = new Parameter("w", [0f], applyWeightDecay: false);
        var nesterov = new SgdOptimizer(1f, momentum: 0.5f, nesterov: true);
        n.Gradient[0] = 1f;
        nesterov.Step([n]); // buf = 1, step g + 0.5 buf = 1.5
        Assert.Equal(-1.5f, n.Value[0]);
        nesterov.Reset();
        Assert.Equal(0, nesterov.StepCount);
    }

    [Fact]
    public void ClipByGlobalNormScalesAllGradientsTogether()
    {
        var a = new Parameter("a", new float[2]);
        var b = new Parameter("b", new float[1]);
        a.Gradient[0] = 3f;
        a.Gradient[1] = 0f;
        b.Gradient[0] = 4f;

        float norm = GradientClipping.ClipByGlobalNorm([a, b], 1f);

        Assert.Equal(5f, norm, 1e-6f);
        Assert.Equal(0.6f, a.Gradient[0], 1e-6f);
        Assert.Equal(0.8f, b.Gradient[0], 1e-6f);
        Assert.Equal(1f, GradientClipping.ClipByGlobalNorm([a, b], 10f), 1e-6f);
        Assert.Equal(0.6f, a.Gradient[0], 1e-6f);
    }

    private static float Objective(float[] w)
    {
        double f = 0;
        for (int i = 0; i < w.Length; i++)
        {
            f += 0.5 * Curvature[i] * (w[i] - Target[i]) * (w[i] - Target[i]);
        }

        return (float)f;
    }
}
