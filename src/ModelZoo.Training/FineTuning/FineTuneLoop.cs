using System.Diagnostics;
using ModelZoo.Training.Metrics;
using ModelZoo.Training.Optimizers;
using ModelZoo.Training.Transfer;

namespace ModelZoo.Training.FineTuning;

/// <summary>
/// The fine-tuning epochs of a <see cref="SuffixStage"/>: mini-batch steps on suffix and head together, a diverging
/// step rolled back with the learning rate halved, and the best epoch by validation kept, the frozen start included
/// (epoch 0). One instance per run.
/// </summary>
internal sealed class FineTuneLoop
{
    private const int MaxBackoffs = 3;
    private readonly FineTuneSession _session;
    private readonly HeadTrainingOptions _o;
    private readonly ActivationRows _train;
    private readonly ActivationRows? _validation;
    private readonly int _classCount;
    private readonly IProgress<TransferProgress>? _progress;
    private readonly int _epochs;
    private readonly float _rate;
    private readonly int _batchSize;
    private readonly LearningRateSchedule _schedule;
    private readonly IOptimizer _optimizer;
    private readonly float[] _classWeights;
    private readonly SplitMix64 _rng;
    private readonly int[] _order;
    private readonly double _spike;
    private readonly TrainingHistory _history = new();
    private readonly List<TimeSpan> _epochTimes = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private float[][] _lastGood;
    // Ranked by validation accuracy, then validation loss (training loss without a validation split).
    private (double Accuracy, double Loss) _best;
    private int _bestEpoch;
    private float[][]? _bestValues;
    private double? _bestTuned;
    private int _backoffs;
    private float _scale = 1f;
    private bool _stopped;
    private int _step;

    public FineTuneLoop(FineTuneSession session, TransferOptions options, HeadTrainingOptions o, ActivationRows train, ActivationRows? validation,
        int classCount, (double Accuracy, double Loss)? frozen, double startLoss, IProgress<TransferProgress>? progress)
    {
        (_session, _o, _train, _validation, _classCount, _progress) = (session, o, train, validation, classCount, progress);
        _epochs = options.FineTuneEpochs ?? options.Epochs ?? 10;
        _rate = options.FineTuneLearningRate ?? (options.LearningRate ?? new HeadTrainingOptions().LearningRate) / 10f;
        _batchSize = Math.Min(o.BatchSize, train.Count);
        var stepsPerEpoch = (train.Count + _batchSize - 1) / _batchSize;
        _schedule = o.CosineSchedule
            ? new CosineLearningRateSchedule(_rate, stepsPerEpoch * _epochs, o.WarmupSteps)
            : new ConstantLearningRateSchedule(_rate, o.WarmupSteps);
        _optimizer = o.Optimizer == OptimizerKind.Adam
            ? new AdamOptimizer(_rate, weightDecay: o.WeightDecay)
            : new SgdOptimizer(_rate, o.Momentum, o.WeightDecay, o.Nesterov);
        _classWeights = o.BalanceClasses ? HeadTrainer.BalancedClassWeights(train.Labels, train.Count, classCount) : [];
        _rng = new SplitMix64(unchecked((ulong)o.Seed * 0x9E3779B97F4A7C15UL) ^ 0xF1_7E_7u);
        _order = Enumerable.Range(0, train.Count).ToArray();
        // A batch loss this far above where training started (or above twice the loss of guessing) is a divergence,
        // not noise: roll back to the last good weights and halve the learning rate.
        _spike = Math.Max(2 * Math.Log(classCount), 4 * startLoss) + 0.5;
        _lastGood = Snapshot();
        _best = frozen ?? (double.NegativeInfinity, double.PositiveInfinity);
    }

    /// <summary>Runs the epochs and leaves the session at the best epoch's weights (the frozen start when none beat it).</summary>
    public FineTuneTuning Run(CancellationToken ct)
    {
        for (var epoch = 1; epoch <= _epochs && !_stopped; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            var (lossSum, correct, lr) = TrainEpoch(epoch, ct);
            _epochTimes.Add(epochClock.Elapsed);
            if (_stopped)
            {
                // Diverged for good: the weights are back at the last good epoch, which was already ranked.
                break;
            }

            EndEpoch(epoch, lossSum, correct, lr);
        }

        if (_bestValues is not null)
        {
            Restore(_bestValues);
        }

        return new FineTuneTuning(_history, _bestEpoch, _best, _bestTuned, _backoffs, _stopped, _epochTimes);
    }

    private (double LossSum, int Correct, float Rate) TrainEpoch(int epoch, CancellationToken ct)
    {
        _rng.Shuffle(_order);
        double lossSum = 0;
        var correct = 0;
        var lr = _rate;
        for (var start = 0; start < _train.Count; start += _batchSize)
        {
            ct.ThrowIfCancellationRequested();
            var rows = _order.AsSpan(start, Math.Min(_batchSize, _train.Count - start)).ToArray();
            var (activations, labels) = _train.Gather(rows);
            var (targets, weights) = Targets(labels);
            lr = _schedule.GetLearningRate(_step) * _scale;
            _optimizer.LearningRate = lr;
            var logits = _session.Step(activations, rows.Length, targets, weights);
            var loss = Losses.SoftmaxCrossEntropy(logits, labels, _classCount, default, _o.LabelSmoothing, _classWeights);
            var batchCorrect = CountCorrect(logits, labels);
            _history.Add(new StepRecord(_step + 1, epoch, loss, (float)batchCorrect / rows.Length, lr));
            _step++;
            if (!float.IsFinite(loss) || loss > _spike)
            {
                if (BackOff())
                {
                    _stopped = true;
                    break;
                }

                continue;
            }

            if (_o.MaxGradientNorm is float maxNorm)
            {
                GradientClipping.ClipByGlobalNorm(_session.Parameters, maxNorm);
            }

            _optimizer.Step(_session.Parameters);
            lossSum += (double)loss * rows.Length;
            correct += batchCorrect;
        }

        return (lossSum, correct, lr);
    }

    private void EndEpoch(int epoch, double lossSum, int correct, float lr)
    {
        float? valLoss = null, valAccuracy = null;
        (double Accuracy, double Loss) score = (0, lossSum / _train.Count);
        if (_validation is not null)
        {
            var (matrix, loss, _) = _validation.Score(_session, _classCount);
            valLoss = (float)loss;
            valAccuracy = (float)matrix.Accuracy;
            score = (matrix.Accuracy, loss);
        }

        var record = new EpochRecord(epoch, (float)(lossSum / _train.Count), (float)correct / _train.Count, valLoss, valAccuracy, lr, _clock.Elapsed);
        _history.Add(record);
        _progress?.Report(new TransferProgress(TransferStage.Training, epoch, _epochs, record));
        if (!double.IsFinite(score.Loss))
        {
            _stopped = BackOff();
            return;
        }

        _lastGood = Snapshot();
        if (_validation is not null)
        {
            _bestTuned = Math.Max(_bestTuned ?? 0, score.Accuracy);
        }

        // On equal accuracy a lower loss wins, by more than the rounding between the ONNX Runtime and C# evaluations.
        if (score.Accuracy > _best.Accuracy || (score.Accuracy == _best.Accuracy && score.Loss < _best.Loss - 1e-5))
        {
            _best = score;
            _bestEpoch = epoch;
            _bestValues = _lastGood;
        }
    }

    /// <summary>Rolls back to the last good weights and halves the learning rate; true when that was one back-off too many.</summary>
    private bool BackOff()
    {
        Restore(_lastGood);
        _optimizer.Reset();
        _scale *= 0.5f;
        return ++_backoffs > MaxBackoffs;
    }

    private float[][] Snapshot() => _session.Parameters.Select(p => (float[])p.Value.Clone()).ToArray();

    private void Restore(float[][] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i].CopyTo(_session.Parameters[i].Value, 0);
        }
    }

    private (float[] Targets, float[] Weights) Targets(int[] labels)
    {
        var smoothing = _o.LabelSmoothing;
        var targets = new float[labels.Length * _classCount];
        var weights = new float[labels.Length];
        double total = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var row = targets.AsSpan(i * _classCount, _classCount);
            row.Fill(smoothing / _classCount);
            row[labels[i]] += 1f - smoothing;
            weights[i] = _classWeights.Length > 0 ? _classWeights[labels[i]] : 1f;
            total += weights[i];
        }

        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = total > 0 ? (float)(weights[i] / total) : 0f;
        }

        return (targets, weights);
    }

    private int CountCorrect(float[] logits, int[] labels)
    {
        var correct = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var row = logits.AsSpan(i * _classCount, _classCount);
            correct += row.IndexOf(System.Numerics.Tensors.TensorPrimitives.Max(row)) == labels[i] ? 1 : 0;
        }

        return correct;
    }
}
