using System.Globalization;
using ModelZoo.Training.Heads;

namespace ModelZoo.Training.Tests.Heads;

public class TrainingHistoryTests
{
    [Fact]
    public void CsvHasOneRowPerStepAndPerEpochWithExpectedColumns()
    {
        var blobs = new GaussianBlobs(classes: 3, dimension: 8, separation: 1f, seed: 9);
        FeatureSet train = blobs.Sample(20); // 60 rows, batch 25 -> 3 steps per epoch
        FeatureSet val = blobs.Sample(10);
        HeadTrainingResult result = new HeadTrainer(new HeadTrainingOptions { Epochs = 4, BatchSize = 25 }).Train(train, val);

        string path = Path.Combine(Path.GetTempPath(), $"history-{Guid.NewGuid():N}.csv");
        try
        {
            result.History.WriteCsv(path);
            string[] lines = File.ReadAllText(path).TrimEnd('\n').Split('\n');
            Assert.Equal("kind,epoch,step,loss,accuracy,val_loss,val_accuracy,learning_rate,elapsed_s", lines[0]);
            string[][] rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
            Assert.All(rows, r => Assert.Equal(9, r.Length));

            string[][] steps = rows.Where(r => r[0] == "step").ToArray();
            string[][] epochs = rows.Where(r => r[0] == "epoch").ToArray();
            Assert.Equal(12, steps.Length);
            Assert.Equal(4, epochs.Length);
            Assert.Equal(16, rows.Length);

            for (int i = 0; i < steps.Length; i++)
            {
                StepRecord s = result.History.Steps[i];
                Assert.Equal(s.Step, int.Parse(steps[i][2], CultureInfo.InvariantCulture));
                Assert.Equal(s.Epoch, int.Parse(steps[i][1], CultureInfo.InvariantCulture));
                Assert.Equal(s.Loss, float.Parse(steps[i][3], CultureInfo.InvariantCulture));
                Assert.Equal(s.LearningRate, float.Parse(steps[i][7], CultureInfo.InvariantCulture));
                Assert.Equal("", steps[i][5]);
            }

            for (int i = 0; i < epochs.Length; i++)
            {
                EpochRecord e = result.History.Epochs[i];
                Assert.Equal(i + 1, int.Parse(epochs[i][1], CultureInfo.InvariantCulture));
                Assert.Equal(3 * (i + 1), int.Parse(epochs[i][2], CultureInfo.InvariantCulture));
                Assert.Equal(e.TrainLoss, float.Parse(epochs[i][3], CultureInfo.InvariantCulture));
                Assert.Equal(e.ValLoss!.Value, float.Parse(epochs[i][5], CultureInfo.InvariantCulture));
                Assert.Equal(e.ValAccuracy!.Value, float.Parse(epochs[i][6], CultureInfo.InvariantCulture));
                Assert.True(double.Parse(epochs[i][8], CultureInfo.InvariantCulture) >= 0);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
