using ModelZoo.Training.Metrics;

namespace ModelZoo.Training.Tests.Metrics;

public class ConfusionMatrixTests
{
    // Hand-computed example, 3 classes, 10 samples:
    //            predicted 0  1  2
    // truth 0:             3  1  0   (support 4)
    // truth 1:             1  2  1   (support 4)
    // truth 2:             0  0  2   (support 2)
    private static ConfusionMatrix Example()
    {
        var m = new ConfusionMatrix(3);
        m.AddRange([0, 0, 0, 0, 1, 1, 1, 1, 2, 2], [0, 0, 0, 1, 0, 1, 1, 2, 2, 2]);
        return m;
    }

    [Fact]
    public void CountsAndAccuracy()
    {
        ConfusionMatrix m = Example();
        Assert.Equal(new int[,] { { 3, 1, 0 }, { 1, 2, 1 }, { 0, 0, 2 } }, m.Counts);
        Assert.Equal(10, m.Total);
        Assert.Equal(0.7, m.Accuracy, 12);
        Assert.Equal(1, m[1, 2]);
    }

    [Fact]
    public void PerClassPrecisionRecallF1()
    {
        ConfusionMatrix m = Example();
        // class 0: precision 3/4, recall 3/4, F1 3/4
        Assert.Equal(new ClassMetrics(0.75, 0.75, 0.75, 4), m.PerClass(0));
        // class 1: precision 2/3, recall 2/4, F1 = 2·(2/3·1/2)/(2/3+1/2) = 4/7
        ClassMetrics c1 = m.PerClass(1);
        Assert.Equal(2.0 / 3, c1.Precision, 12);
        Assert.Equal(0.5, c1.Recall, 12);
        Assert.Equal(4.0 / 7, c1.F1, 12);
        Assert.Equal(4, c1.Support);
        // class 2: precision 2/3, recall 1, F1 = 0.8
        ClassMetrics c2 = m.PerClass(2);
        Assert.Equal(2.0 / 3, c2.Precision, 12);
        Assert.Equal(1.0, c2.Recall, 12);
        Assert.Equal(0.8, c2.F1, 12);
        Assert.Equal((0.75 + 4.0 / 7 + 0.8) / 3, m.MacroF1, 12);
    }

    [Fact]
    public void EmptyClassesScoreZeroAndAreLeftOutOfMacroF1()
    {
        var m = new ConfusionMatrix(3);
        m.Add(0, 0);
        m.Add(1, 0);
        Assert.Equal(new ClassMetrics(0, 0, 0, 0), m.PerClass(2));
        Assert.Equal(new ClassMetrics(0, 0, 0, 1), m.PerClass(1));
        Assert.Equal((2.0 / 3 + 0) / 2, m.MacroF1, 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Add(3, 0));
    }

    [Fact]
    public void CsvHasHeaderAndOneRowPerClass()
    {
        string csv = Example().ToCsv(["cat", "dog, big", "eel"]);
        string[] lines = csv.TrimEnd('\n').Split('\n');
        Assert.Equal("truth\\predicted,cat,\"dog, big\",eel", lines[0]);
        Assert.Equal("cat,3,1,0", lines[1]);
        Assert.Equal(4, lines.Length);
    }
}
