using ModelZoo.Training.Heads;

namespace ModelZoo.Training.Tests.Heads;

public class ClassificationHeadTests
{
    // Hand-made MLP: hidden = relu([x0 - x1, x1 - x0, 1]); logits = [h0, h1, 0.5·h2].
    private static ClassificationHead HandMade() => new(HeadKind.Mlp,
    [
        new HeadLayer([1f, -1f, -1f, 1f, 0f, 0f], 3, 2, [0f, 0f, 1f], HeadActivation.Relu),
        new HeadLayer([1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 0.5f], 3, 3, [0f, 0f, 0f], HeadActivation.None),
    ]);

    [Fact]
    public void ComputesLogitsThroughReluLayers()
    {
        float[] logits = HandMade().ComputeLogits([3f, 1f, 0f, 2f], 2);
        Assert.Equal([2f, 0f, 0.5f, 0f, 2f, 0.5f], logits);
    }

    [Fact]
    public void ProbabilitiesSumToOneAndPredictPicksTheLargest()
    {
        ClassificationHead head = HandMade();
        var p = new float[6];
        head.PredictProbabilities([3f, 1f, 0f, 2f], 2, p);
        Assert.Equal(1f, p[0] + p[1] + p[2], 1e-6f);
        Assert.Equal(1f, p[3] + p[4] + p[5], 1e-6f);
        Assert.Equal(0, head.Predict([3f, 1f]));
        Assert.Equal(1, head.Predict([0f, 2f]));
        Assert.Equal(2, head.Predict([1f, 1f]));
        Assert.Equal((2, 3), (head.InputSize, head.ClassCount));
    }

    [Fact]
    public void ManyRowsCrossChunkBoundaries()
    {
        ClassificationHead head = HandMade();
        int n = 700;
        var x = new float[n * 2];
        for (int i = 0; i < n; i++)
        {
            x[2 * i] = i % 3;
            x[2 * i + 1] = 1f;
        }

        var classes = new int[n];
        head.Predict(x, n, classes);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal((i % 3 + 1) % 3, classes[i]); // [0,1] -> 1, [1,1] -> 2, [2,1] -> 0
        }
    }

    [Fact]
    public void RejectsLayersThatDoNotChain()
    {
        Assert.Throws<ZooUsageException>(() => new ClassificationHead(HeadKind.Mlp,
        [
            new HeadLayer(new float[6], 3, 2, new float[3], HeadActivation.Relu),
            new HeadLayer(new float[8], 2, 4, new float[2], HeadActivation.None),
        ]));
        Assert.Throws<ZooUsageException>(() => new ClassificationHead(HeadKind.Linear,
            [new HeadLayer(new float[5], 3, 2, new float[3], HeadActivation.None)]));
    }
}
