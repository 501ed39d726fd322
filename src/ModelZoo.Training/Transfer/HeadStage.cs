using System.Diagnostics;

namespace ModelZoo.Training.Transfer;

/// <summary>
/// The frozen-backbone stage of a <see cref="TrainingRun"/>: the headless backbone runs once per image, and a new head
/// is trained on its features: a linear head solved by <see cref="LinearHeadSolver"/> at the defaults, else mini-batch
/// training by <see cref="HeadTrainer"/>.
/// </summary>
internal sealed class HeadStage : ITrainingStage
{
    /// <inheritdoc />
    public string Purpose => "transfer learning";

    /// <inheritdoc />
    public void CheckBase(ModelCard card)
    {
    }

    /// <inheritdoc />
    public FrozenPart Prepare(TrainingBase baseModel, TransferOptions options) =>
        new(baseModel.Backbone, baseModel.Backbone.FeatureTensor, "backbone", "prepare (load data, open and cut base model)");

    /// <inheritdoc />
    public async Task<StageOutcome> TrainAsync(StageInput input, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var (options, data, progress) = (input.Options, input.Data, input.Progress);
        var dimension = input.Base.Backbone.FeatureSize;
        var trainSet = data.TrainSet(dimension, input.ClassCount, withViews: true);
        var validationSet = data.ValidationSet(dimension, input.ClassCount);
        var fit = await FitAsync(options, trainSet, validationSet, data.TrainGroups(), progress, ct).ConfigureAwait(false);

        // The figures come from the head whose validation images were held out: the solver's selection fit, although
        // the exported head is refit on all of them.
        var trainAccuracy = fit.Scored.Evaluate(data.TrainSet(dimension, input.ClassCount, withViews: false)).Accuracy;
        float[]? probabilities = null;
        if (validationSet is not null)
        {
            probabilities = new float[validationSet.Count * input.ClassCount];
            fit.Scored.PredictProbabilities(validationSet.Features, validationSet.Count, probabilities);
        }

        input.Timings.Add(new TimingEntry("head training + evaluation", clock.Elapsed));
        return new StageOutcome(input.Base.Backbone, fit.Head, fit.Training, trainAccuracy, probabilities,
            fit.Solution is null ? "mini-batch" : "lbfgs", fit.Solution?.L2, fit.Solution?.Selection);
    }

    /// <summary>
    /// A head on <paramref name="train"/>: solved at the defaults (<see cref="TransferOptions.SolvesHead"/>), else trained
    /// in mini-batches. <c>Scored</c> is the head whose validation figures are honest (the solver's selection fit).
    /// </summary>
    internal static async Task<(ClassificationHead Head, ClassificationHead Scored, HeadTrainingResult Training, LinearHeadSolution? Solution)> FitAsync(
        TransferOptions options, FeatureSet train, FeatureSet? validation, int[] groups, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        if (options.SolvesHead)
        {
            var solver = new LinearHeadSolver(options.ToSolverOptions());
            var solution = await Task.Run(() => solver.Solve(train, validation, groups, ct), ct).ConfigureAwait(false);
            progress?.Report(new TransferProgress(TransferStage.Training, 1, 1, solution.History.Epochs[^1]));
            return (solution.Head, solution.SelectionHead, solution.ToTrainingResult(), solution);
        }

        var trainer = new HeadTrainer(options.ToHeadTrainingOptions());
        if (progress is not null)
        {
            trainer.Progress += p => progress.Report(new TransferProgress(TransferStage.Training, p.Epoch, p.Epochs, p.Record));
        }

        var trained = await Task.Run(() => trainer.Train(train, validation, ct), ct).ConfigureAwait(false);
        return (trained.Head, trained.Head, trained, null);
    }
}
