using ModelZoo.Training.Reports;
using ModelZoo.Training.Tests.Data;
using SkiaSharp;

namespace ModelZoo.Training.Tests.Reports;

public class TrainingPlotsTests
{
    internal static (List<(int Step, float Loss, float Accuracy)> Steps, List<(int Epoch, float TrainLoss, float TrainAcc, float? ValLoss, float? ValAcc)> Epochs) History(int epochs, int stepsPerEpoch)
    {
        var steps = new List<(int, float, float)>();
        var perEpoch = new List<(int, float, float, float?, float?)>();
        for (var e = 1; e <= epochs; e++)
        {
            float loss = 0, acc = 0;
            for (var s = 0; s < stepsPerEpoch; s++)
            {
                var step = ((e - 1) * stepsPerEpoch) + s + 1;
                var l = (float)((2.0 * Math.Exp(-step / 30.0)) + 0.2 + (0.15 * Math.Sin(step * 1.7)));
                var a = Math.Clamp(1f - (l / 2.4f), 0f, 1f);
                steps.Add((step, l, a));
                loss += l;
                acc += a;
            }

            perEpoch.Add((e, loss / stepsPerEpoch, acc / stepsPerEpoch, (loss / stepsPerEpoch) + 0.1f, (acc / stepsPerEpoch) - 0.05f));
        }

        return (steps, perEpoch);
    }

    private static bool IsTrainBlue(SKColor c) => c.Blue > 150 && c.Red < 80 && c.Green is > 90 and < 150;

    [Fact]
    public void WriteCurves_draws_two_non_blank_panels_of_the_documented_size()
    {
        using var t = new TempFolder();
        var (steps, epochs) = History(8, 20);
        var path = Path.Combine(t.Path, "out", "curves.png");

        TrainingPlots.WriteCurves(path, steps, epochs);

        using var png = PngAssert.Decode(path);
        Assert.Equal((TrainingPlots.CurvesWidth, TrainingPlots.CurvesHeight), (png.Width, png.Height));
        var left = new SKRectI(0, 0, png.Width / 2, png.Height);
        var right = new SKRectI(png.Width / 2, 0, png.Width, png.Height);
        Assert.True(PngAssert.Variance(png, left) > 100, "the loss panel looks blank");
        Assert.True(PngAssert.Variance(png, right) > 100, "the accuracy panel looks blank");
        Assert.True(PngAssert.Count(png, left, IsTrainBlue) > 200, "no training curve in the loss panel");
        Assert.True(PngAssert.Count(png, right, IsTrainBlue) > 200, "no training curve in the accuracy panel");
        Assert.True(PngAssert.Count(png, right, c => c.Red > 200 && c.Green is > 90 and < 140 && c.Blue < 60) > 50,
            "no orange validation markers in the accuracy panel");
        PngAssert.NoTempFiles(t.Path);
    }

    [Fact]
    public void WriteCurves_works_with_steps_only_or_epochs_without_validation_and_overwrites()
    {
        using var t = new TempFolder();
        var (steps, epochs) = History(3, 5);
        var path = Path.Combine(t.Path, "curves.png");

        TrainingPlots.WriteCurves(path, steps, []);
        using (var stepsOnly = PngAssert.Decode(path))
        {
            Assert.True(PngAssert.Variance(stepsOnly) > 100);
        }

        TrainingPlots.WriteCurves(path, [], epochs.Select(e => (e.Epoch, e.TrainLoss, e.TrainAcc, (float?)null, (float?)null)).ToList());
        using (var epochsOnly = PngAssert.Decode(path))
        {
            Assert.True(PngAssert.Variance(epochsOnly) > 100);
        }

        Assert.Throws<ArgumentException>(() => TrainingPlots.WriteCurves(path, [], []));
        PngAssert.NoTempFiles(t.Path);
    }

    [Fact]
    public void WriteConfusion_draws_a_heatmap_that_grows_with_the_class_count()
    {
        using var t = new TempFolder();
        int[,] small = { { 9, 1 }, { 2, 8 } };
        var labels20 = Enumerable.Range(0, 20).Select(i => $"class number {i}").ToList();
        var big = new int[20, 20];
        for (var i = 0; i < 20; i++)
        {
            big[i, i] = 10;
            big[i, (i + 1) % 20] = 2;
        }

        var smallPath = Path.Combine(t.Path, "small.png");
        var bigPath = Path.Combine(t.Path, "big.png");
        TrainingPlots.WriteConfusion(smallPath, small, ["cat", "dog"]);
        TrainingPlots.WriteConfusion(bigPath, big, labels20, normalize: false);

        using var a = PngAssert.Decode(smallPath);
        using var b = PngAssert.Decode(bigPath);
        Assert.True(PngAssert.Variance(a) > 100);
        Assert.True(PngAssert.Variance(b) > 100);
        Assert.True(b.Width > a.Width && b.Height > a.Height);
        var all = new SKRectI(0, 0, a.Width, a.Height);
        Assert.True(PngAssert.Count(a, all, c => c.Blue > 90 && c.Red < 60 && c.Green < 110) > 1000,
            "no dark blue cells for the well-predicted diagonal");
        PngAssert.NoTempFiles(t.Path);
    }

    [Fact]
    public void WriteConfusion_rejects_a_matrix_that_does_not_match_the_labels()
    {
        using var t = new TempFolder();
        var e = Assert.Throws<ArgumentException>(() =>
            TrainingPlots.WriteConfusion(Path.Combine(t.Path, "c.png"), new int[2, 3], ["a", "b"]));
        Assert.Contains("square matrix", e.Message);
        Assert.False(File.Exists(Path.Combine(t.Path, "c.png")));
    }

    [Fact]
    public void Two_epochs_of_twelve_steps_are_drawn_as_24_points_on_a_step_axis()
    {
        using var t = new TempFolder();
        var blobs = new Heads.GaussianBlobs(classes: 4, dimension: 16, separation: 0.6f, seed: 9);
        var result = new ModelZoo.Training.Heads.HeadTrainer(new ModelZoo.Training.Heads.HeadTrainingOptions { Epochs = 2, BatchSize = 10, LearningRate = 1e-2f })
            .Train(blobs.Sample(30), blobs.Sample(10));
        var path = Path.Combine(t.Path, "curves.png");

        Assert.Equal(24, result.History.Steps.Count);
        Assert.Equal(Enumerable.Range(1, 24), result.History.Steps.Select(s => s.Step));
        Assert.Equal(12, result.History.Steps.Count(s => s.Epoch == 2));
        TrainingPlots.WriteCurves(path, result.History);

        using var png = PngAssert.Decode(path);
        Assert.Equal((TrainingPlots.CurvesWidth, TrainingPlots.CurvesHeight), (png.Width, png.Height));
        // The per-step line is drawn in full colour and runs across the whole step axis, not squeezed between two epochs.
        var columns = 0;
        for (var x = 0; x < png.Width / 2; x++)
        {
            for (var y = 0; y < png.Height; y++)
            {
                if (IsTrainBlue(png.GetPixel(x, y)))
                {
                    columns++;
                    break;
                }
            }
        }

        Assert.True(columns > 0.6 * (png.Width / 2), $"the training curve covers {columns} of {png.Width / 2} columns");
    }
}
