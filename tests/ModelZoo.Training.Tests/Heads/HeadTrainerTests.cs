using ModelZoo.Training.Heads;
using ModelZoo.Training.Metrics;
using ModelZoo.Training.Optimizers;

namespace ModelZoo.Training.Tests.Heads;

public class HeadTrainerTests
{
    [Theory]
    [InlineData(HeadKind.Linear, OptimizerKind.Adam)]
    [InlineData(HeadKind.Mlp, OptimizerKind.Adam)]
    [InlineData(HeadKind.Linear, OptimizerKind.Sgd)]
    public void LearnsSeparableBlobs(HeadKind kind, OptimizerKind optimizer)
    {
        var blobs = new GaussianBlobs(classes: 5, dimension: 64, separation: 1f, seed: 1);
        FeatureSet train = blobs.Sample(200);
        FeatureSet val = blobs.Sample(100);
        var options = new HeadTrainingOptions
        {
            Head = kind,
            HiddenUnits = 32,
            Optimizer = optimizer,
            LearningRate = optimizer == OptimizerKind.Sgd ? 0.05f : 1e-2f,
            Epochs = 15,
        };

        HeadTrainingResult result = new HeadTrainer(options).Train(train, val);

        ConfusionMatrix matrix = result.Head.Evaluate(val);
        Assert.True(matrix.Accuracy > 0.95, $"validation accuracy {matrix.Accuracy:P1}");
        Assert.Equal(kind, result.Head.Kind);
        Assert.Equal(64, result.Head.InputSize);
        Assert.Equal(5, result.Head.ClassCount);
        Assert.Equal(kind == HeadKind.Linear ? 1 : 2, result.Head.Layers.Count);
        EpochRecord first = result.History.Epochs[0], last = result.History.Epochs[^1];
        Assert.True(last.TrainLoss < first.TrainLoss, "training loss should fall");
        Assert.NotNull(last.ValAccuracy);
    }

    [Fact]
    public void StandardizationIsFoldedSoTheHeadTakesRawFeatures()
    {
        // Badly scaled features (large offset and scale), as pooled CNN activations can be.
        var blobs = new GaussianBlobs(classes: 4, dimension: 32, separation: 1f, seed: 11);
        FeatureSet train = blobs.Sample(150, scale: 40f, offset: 500f);
        FeatureSet val = blobs.Sample(80, scale: 40f, offset: 500f);

        HeadTrainingResult result = new HeadTrainer(new HeadTrainingOptions { Epochs = 10, LearningRate = 1e-2f }).Train(train, val);

        double accuracy = result.Head.Evaluate(val).Accuracy;
        Assert.True(accuracy > 0.9, $"validation accuracy on raw features {accuracy:P1}");
        float reported = result.History.Epochs[result.BestEpoch - 1].ValAccuracy!.Value;
        Assert.Equal(reported, accuracy, 2);
    }

    [Theory]
    [InlineData(HeadKind.Linear)]
    [InlineData(HeadKind.Mlp)]
    public void SameSeedIsBitIdenticalAndOtherSeedDiffers(HeadKind kind)
    {
        var blobs = new GaussianBlobs(classes: 3, dimension: 48, separation: 0.3f, seed: 2);
        FeatureSet train = blobs.Sample(120);
        FeatureSet val = blobs.Sample(40);
        var options = new HeadTrainingOptions { Head = kind, HiddenUnits = 1024, Epochs = 3, BatchSize = 16, Seed = 7, MaxDegreeOfParallelism = 2 };

        HeadTrainingResult a = new HeadTrainer(options).Train(train, val);
        HeadTrainingResult b = new HeadTrainer(options with { MaxDegreeOfParallelism = 1 }).Train(train, val);
        HeadTrainingResult c = new HeadTrainer(options with { Seed = 8 }).Train(train, val);

        for (int i = 0; i < a.Head.Layers.Count; i++)
        {
            Assert.Equal(a.Head.Layers[i].Weight, b.Head.Layers[i].Weight);
            Assert.Equal(a.Head.Layers[i].Bias, b.Head.Layers[i].Bias);
        }

        Assert.Equal(a.History.Steps, b.History.Steps);
        Assert.Equal(
            a.History.Epochs.Select(e => (e.TrainLoss, e.TrainAccuracy, e.ValLoss, e.ValAccuracy, e.LearningRate)),
            b.History.Epochs.Select(e => (e.TrainLoss, e.TrainAccuracy, e.ValLoss, e.ValAccuracy, e.LearningRate)));
        Assert.NotEqual(a.Head.Layers[0].Weight, c.Head.Layers[0].Weight);
        Assert.NotEqual(a.History.Steps.Select(s => s.Loss), c.History.Steps.Select(s => s.Loss));
    }

    [Fact]
    public void EarlyStoppingEndsTrainingWhenValidationLossRisesAndRestoresTheBestEpoch()
    {
        // Few noisy training rows in many dimensions: the head memorises the noise and validation loss climbs.
        var blobs = new GaussianBlobs(classes: 3, dimension: 64, separation: 0.25f, seed: 3);
        FeatureSet train = blobs.Sample(10, labelNoise: 0.4f);
        FeatureSet val = blobs.Sample(200);
        var options = new HeadTrainingOptions
        {
            Epochs = 500,
            BatchSize = 8,
            LearningRate = 1e-2f,
            WeightDecay = 0f,
            CosineSchedule = false,
            EarlyStoppingPatience = 5,
        };

        var progress = new List<TrainingProgress>();
        var trainer = new HeadTrainer(options);
        trainer.Progress += progress.Add;
        HeadTrainingResult result = trainer.Train(train, val);

        Assert.True(result.StoppedEarly);
        int epochs = result.History.Epochs.Count;
        Assert.True(epochs < 500);
        Assert.Equal(result.BestEpoch + 5, epochs);
        float bestLoss = result.History.Epochs[result.BestEpoch - 1].ValLoss!.Value;
        Assert.All(result.History.Epochs.Skip(result.BestEpoch), e => Assert.True(e.ValLoss >= bestLoss));
        Assert.Equal(epochs, progress.Count);
        Assert.True(progress[result.BestEpoch - 1].IsBest);
        Assert.False(progress[^1].IsBest);

        // The returned head carries the best epoch's weights, not the last.
        float[] logits = result.Head.ComputeLogits(val.Features, val.Count);
        float headLoss = Losses.SoftmaxCrossEntropy(logits, val.Labels, val.ClassCount);
        Assert.Equal(bestLoss, headLoss, 3);
    }

    [Fact]
    public void BalancedClassWeightsRaiseMinorityRecall()
    {
        var blobs = new GaussianBlobs(classes: 2, dimension: 16, separation: 0.2f, seed: 4);
        FeatureSet train = blobs.Sample([1000, 40]);
        FeatureSet val = blobs.Sample(400);
        var options = new HeadTrainingOptions { Epochs = 20, Seed = 1 };

        double plain = new HeadTrainer(options).Train(train).Head.Evaluate(val).PerClass(1).Recall;
        double balanced = new HeadTrainer(options with { BalanceClasses = true }).Train(train).Head.Evaluate(val).PerClass(1).Recall;

        Assert.True(balanced > plain + 0.1, $"minority recall: plain {plain:P1}, balanced {balanced:P1}");
    }

    [Fact]
    public void BalancedWeightsAreInverseFrequency()
    {
        float[] w = HeadTrainer.BalancedClassWeights([0, 0, 0, 1, 2, 2], 6, 4);
        Assert.Equal([6f / (4 * 3), 6f / (4 * 1), 6f / (4 * 2), 0f], w);
    }

    [Fact]
    public void RecordsOneStepPerBatchAndOneEpochPerPass()
    {
        var blobs = new GaussianBlobs(classes: 3, dimension: 8, separation: 1f, seed: 5);
        FeatureSet train = blobs.Sample(35); // 105 rows -> 4 batches of 32 (last has 9)
        HeadTrainingResult result = new HeadTrainer(new HeadTrainingOptions { Epochs = 3, WarmupSteps = 2 }).Train(train);

        Assert.Equal(12, result.History.Steps.Count);
        Assert.Equal(Enumerable.Range(1, 12), result.History.Steps.Select(s => s.Step));
        Assert.Equal([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3], result.History.Steps.Select(s => s.Epoch));
        Assert.Equal(3, result.History.Epochs.Count);
        Assert.Null(result.History.Epochs[0].ValLoss);
        // Warm-up then cosine decay.
        Assert.Equal(0.5e-3f, result.History.Steps[0].LearningRate, 1e-7f);
        Assert.Equal(1e-3f, result.History.Steps[1].LearningRate, 1e-7f);
        Assert.True(result.History.Steps[^1].LearningRate < result.History.Steps[2].LearningRate);
        Assert.False(result.StoppedEarly);
    }

    [Fact]
    public void InvalidOptionsAndDataAreUsageErrors()
    {
        Assert.Throws<ZooUsageException>(() => new HeadTrainer(new HeadTrainingOptions { LearningRate = 0f }));
        Assert.Throws<ZooUsageException>(() => new HeadTrainer(new HeadTrainingOptions { Dropout = 1f }));
        Assert.Throws<ZooUsageException>(() => new HeadTrainer(new HeadTrainingOptions { EarlyStoppingPatience = 0 }));

        var trainer = new HeadTrainer(new HeadTrainingOptions());
        var badLabel = new FeatureSet(new float[6], [0, 3], 2, 3, 3);
        ZooUsageException e = Assert.Throws<ZooUsageException>(() => trainer.Train(badLabel));
        Assert.Contains("label 3", e.Message);
        var train = new FeatureSet(new float[6], [0, 1], 2, 3, 2);
        var val = new FeatureSet(new float[8], [0, 1], 2, 4, 2);
        Assert.Throws<ZooUsageException>(() => trainer.Train(train, val));
    }

    [Fact]
    public void CancellationStopsTraining()
    {
        var blobs = new GaussianBlobs(classes: 2, dimension: 8, separation: 1f, seed: 6);
        using var cts = new CancellationTokenSource();
        var trainer = new HeadTrainer(new HeadTrainingOptions { Epochs = 100 });
        trainer.Progress += p =>
        {
            if (p.Epoch == 2)
            {
                cts.Cancel();
            }
        };

        Assert.Throws<OperationCanceledException>(() => trainer.Train(blobs.Sample(50), null, cts.Token));
    }

    [Fact]
    public void MinimumSteps_raises_the_epochs_of_a_small_dataset()
    {
        var blobs = new GaussianBlobs(classes: 4, dimension: 16, separation: 0.6f, seed: 12);
        var train = blobs.Sample(16); // 64 rows: two batches of 32 per epoch

        var result = new HeadTrainer(new HeadTrainingOptions { Head = HeadKind.Mlp, HiddenUnits = 8, Epochs = 10, MinimumSteps = 300 }).Train(train);

        Assert.Equal(300, result.History.Steps.Count);
        Assert.Equal(150, result.History.Epochs.Count);
    }

    [Fact]
    public void Transfer_defaults_solve_a_linear_head_and_give_mini_batch_runs_a_step_floor()
    {
        var defaults = new ModelZoo.Training.Transfer.TransferOptions { BaseHandle = "b", Data = "d", OutputDirectory = "o" };
        Assert.True(defaults.SolvesHead);
        Assert.False((defaults with { LearningRate = 0.01f }).SolvesHead);
        Assert.False((defaults with { Epochs = 5 }).SolvesHead);
        Assert.False((defaults with { Head = HeadKind.Mlp }).SolvesHead);
        // With fine-tuning, --epochs is the fine-tuning epochs: the frozen head is still solved.
        Assert.True((defaults with { Epochs = 2, Unfreeze = 2 }).SolvesHead);
        Assert.Equal(ModelZoo.Training.Transfer.TransferOptions.MinimumDefaultSteps, (defaults with { Head = HeadKind.Mlp }).ToHeadTrainingOptions().MinimumSteps);
        Assert.Equal(0, (defaults with { Epochs = 5 }).ToHeadTrainingOptions().MinimumSteps);
        Assert.Equal(5, (defaults with { Epochs = 5 }).ToHeadTrainingOptions().Epochs);
    }
}
