using System.Diagnostics;
using System.Numerics.Tensors;
using ModelZoo.Training.Metrics;
using ModelZoo.Training.Optimizers;

namespace ModelZoo.Training.Heads;

/// <summary>
/// Trains a <see cref="ClassificationHead"/> on cached backbone features with mini-batch gradient
/// descent: shuffled batches, softmax cross-entropy (label smoothing, class weights), Adam or SGD,
/// cosine or constant learning rate with warm-up, optional gradient clipping and early stopping.
/// Deterministic: the same options, seed and data give bit-identical weights and history on the same machine.
/// </summary>
public sealed class HeadTrainer
{
    private const int EvaluationChunk = 1024;

    /// <summary>Creates a trainer; the options are validated here.</summary>
    /// <exception cref="ZooUsageException">An option is out of range.</exception>
    public HeadTrainer(HeadTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>Raised on the training thread after every epoch.</summary>
    public event Action<TrainingProgress>? Progress;

    /// <summary>The options this trainer uses.</summary>
    public HeadTrainingOptions Options { get; }

    /// <summary>Trains a head on <paramref name="train"/>, evaluating on <paramref name="validation"/> after every epoch when given.</summary>
    /// <exception cref="ZooUsageException">The data sets are malformed or disagree in dimension or class count.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked every step).</exception>
    public HeadTrainingResult Train(FeatureSet train, FeatureSet? validation = null, CancellationToken cancellationToken = default)
    {
        FeatureSet.ValidatePair(train, validation);

        HeadTrainingOptions o = Options;
        int n = train.Count, d = train.Dimension, c = train.ClassCount;
        var stopwatch = Stopwatch.StartNew();

        float[]? mean = null, invStd = null;
        float[] trainX = train.Features;
        float[]? valX = validation?.Features;
        if (o.StandardizeFeatures)
        {
            (mean, invStd) = ComputeStandardization(train.Features, n, d);
            trainX = Standardize(train.Features, n, d, mean, invStd);
            valX = validation is null ? null : Standardize(validation.Features, validation.Count, d, mean, invStd);
        }

        float[] classWeights = o.BalanceClasses ? BalancedClassWeights(train.Labels, n, c) : [];

        // Independent streams so that, e.g., turning dropout on does not change the shuffling order.
        var initRng = new SplitMix64(Mix(o.Seed, 1));
        var shuffleRng = new SplitMix64(Mix(o.Seed, 2));
        var dropoutRng = new SplitMix64(Mix(o.Seed, 3));

        var net = new HeadNetwork(o.Head, d, o.HiddenUnits, c, o.Dropout, initRng) { MaxParallel = o.MaxDegreeOfParallelism };
        int batchSize = Math.Min(o.BatchSize, n);
        net.EnsureCapacity(Math.Max(batchSize, validation is null ? 0 : Math.Min(EvaluationChunk, validation.Count)));

        int stepsPerEpoch = (n + batchSize - 1) / batchSize;
        int epochs = Math.Max(o.Epochs, (o.MinimumSteps + stepsPerEpoch - 1) / stepsPerEpoch);
        int totalSteps = checked(stepsPerEpoch * epochs);
        var (schedule, optimizer) = CreateOptimizer(o, totalSteps);

        var history = new TrainingHistory();
        int[] order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[i] = i;
        }

        int[][] valChunks = validation is null ? [] : ChunkIndices(validation.Count);
        var tracker = new BestEpoch();
        bool stoppedEarly = false;
        int step = 0;

        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            shuffleRng.Shuffle(order);
            var (lossSum, correct, lr) = TrainEpoch(new EpochBatches(net, optimizer, schedule, trainX, train.Labels, order, batchSize, classWeights, dropoutRng),
                epoch, ref step, history, cancellationToken);

            float trainLoss = (float)(lossSum / n);
            float? valLoss = null, valAccuracy = null;
            if (validation is not null)
            {
                (valLoss, valAccuracy) = Evaluate(net, valX!, validation, valChunks, o.LabelSmoothing, classWeights);
            }

            var record = new EpochRecord(epoch, trainLoss, (float)correct / n, valLoss, valAccuracy, lr, stopwatch.Elapsed);
            history.Add(record);

            bool isBest = tracker.Offer(epoch, valLoss ?? trainLoss, net);

            Progress?.Invoke(new TrainingProgress(epoch, epochs, step, totalSteps, record, isBest));
            if (o.EarlyStoppingPatience is int patience && tracker.SinceBest >= patience && epoch < epochs)
            {
                stoppedEarly = true;
                break;
            }
        }

        int bestEpoch = tracker.Weights is not null ? tracker.Epoch : history.Epochs.Count; // every loss NaN: the last weights
        if (tracker.Weights is { } weights)
        {
            net.Restore(weights);
        }

        return new HeadTrainingResult(net.ToHead(mean, invStd), history, bestEpoch, stoppedEarly);
    }

    private static (LearningRateSchedule Schedule, IOptimizer Optimizer) CreateOptimizer(HeadTrainingOptions o, int totalSteps)
    {
        LearningRateSchedule schedule = o.CosineSchedule
            ? new CosineLearningRateSchedule(o.LearningRate, totalSteps, o.WarmupSteps)
            : new ConstantLearningRateSchedule(o.LearningRate, o.WarmupSteps);
        IOptimizer optimizer = o.Optimizer == OptimizerKind.Adam
            ? new AdamOptimizer(o.LearningRate, weightDecay: o.WeightDecay)
            : new SgdOptimizer(o.LearningRate, o.Momentum, o.WeightDecay, o.Nesterov);
        return (schedule, optimizer);
    }

    /// <summary>What the steps of one epoch use: the network, its optimizer and schedule, the rows in this epoch's order.</summary>
    private sealed record EpochBatches(HeadNetwork Net, IOptimizer Optimizer, LearningRateSchedule Schedule, float[] X, int[] Labels, int[] Order,
        int BatchSize, float[] ClassWeights, SplitMix64 DropoutRng);

    /// <summary>One pass over the rows in <see cref="EpochBatches.Order"/>; returns the summed loss, the correct count and the last learning rate.</summary>
    private (double LossSum, long Correct, float Lr) TrainEpoch(EpochBatches b, int epoch, ref int step, TrainingHistory history, CancellationToken cancellationToken)
    {
        HeadTrainingOptions o = Options;
        HeadNetwork net = b.Net;
        int n = b.Order.Length, c = net.ClassCount;
        int[] batchRows = new int[b.BatchSize];
        int[] batchLabels = new int[b.BatchSize];
        double lossSum = 0;
        long correct = 0;
        float lr = 0f;
        for (int start = 0; start < n; start += b.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int rows = Math.Min(b.BatchSize, n - start);
            b.Order.AsSpan(start, rows).CopyTo(batchRows);
            for (int r = 0; r < rows; r++)
            {
                batchLabels[r] = b.Labels[batchRows[r]];
            }

            lr = b.Schedule.GetLearningRate(step);
            b.Optimizer.LearningRate = lr;
            net.Forward(b.X, batchRows, rows, training: true, b.DropoutRng);
            ReadOnlySpan<float> logits = net.Logits.AsSpan(0, rows * c);
            float loss = Losses.SoftmaxCrossEntropy(logits, batchLabels.AsSpan(0, rows), c, net.LogitGradients.AsSpan(0, rows * c), o.LabelSmoothing, b.ClassWeights);
            int batchCorrect = CountCorrect(logits, batchLabels.AsSpan(0, rows), c);
            net.Backward(b.X, batchRows, rows);
            if (o.MaxGradientNorm is float maxNorm)
            {
                GradientClipping.ClipByGlobalNorm(net.Parameters, maxNorm);
            }

            b.Optimizer.Step(net.Parameters);
            step++;
            lossSum += (double)loss * rows;
            correct += batchCorrect;
            history.Add(new StepRecord(step, epoch, loss, (float)batchCorrect / rows, lr));
        }

        return (lossSum, correct, lr);
    }

    /// <summary>The epoch with the lowest monitored loss so far, and its weights.</summary>
    private sealed class BestEpoch
    {
        private double _loss = double.PositiveInfinity;

        public int Epoch { get; private set; }

        public float[][]? Weights { get; private set; }

        public int SinceBest { get; private set; }

        /// <summary>Keeps <paramref name="net"/>'s weights when <paramref name="monitored"/> is the lowest loss yet.</summary>
        public bool Offer(int epoch, double monitored, HeadNetwork net)
        {
            if (!(monitored < _loss))
            {
                SinceBest++;
                return false;
            }

            (_loss, Epoch, SinceBest, Weights) = (monitored, epoch, 0, net.Snapshot());
            return true;
        }
    }

    /// <summary>Class weights <c>N / (C · count_c)</c>; classes absent from the training set get weight 0.</summary>
    internal static float[] BalancedClassWeights(int[] labels, int n, int classCount)
    {
        var counts = new int[classCount];
        for (int i = 0; i < n; i++)
        {
            counts[labels[i]]++;
        }

        var weights = new float[classCount];
        for (int k = 0; k < classCount; k++)
        {
            weights[k] = counts[k] == 0 ? 0f : (float)((double)n / ((double)classCount * counts[k]));
        }

        return weights;
    }

    private static (float Loss, float Accuracy) Evaluate(HeadNetwork net, float[] x, FeatureSet set, int[][] chunks, float labelSmoothing, float[] classWeights)
    {
        int c = set.ClassCount;
        double lossSum = 0, weightSum = 0;
        long correct = 0;
        foreach (int[] index in chunks)
        {
            int start = index[0], rows = index.Length;
            net.Forward(x, index, rows, training: false, dropoutRng: null);
            ReadOnlySpan<float> logits = net.Logits.AsSpan(0, rows * c);
            ReadOnlySpan<int> labels = set.Labels.AsSpan(start, rows);
            (double l, double w) = Losses.SoftmaxCrossEntropySums(logits, labels, c, labelSmoothing, classWeights);
            lossSum += l;
            weightSum += w;
            correct += CountCorrect(logits, labels, c);
        }

        return ((float)(weightSum > 0 ? lossSum / weightSum : 0), (float)correct / set.Count);
    }

    // Row indices of consecutive validation chunks, built once per training run.
    private static int[][] ChunkIndices(int count)
    {
        var chunks = new int[(count + EvaluationChunk - 1) / EvaluationChunk][];
        for (int b = 0; b < chunks.Length; b++)
        {
            int start = b * EvaluationChunk;
            chunks[b] = new int[Math.Min(EvaluationChunk, count - start)];
            for (int i = 0; i < chunks[b].Length; i++)
            {
                chunks[b][i] = start + i;
            }
        }

        return chunks;
    }

    private static int CountCorrect(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int classCount)
    {
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (TensorPrimitives.IndexOfMax(logits.Slice(i * classCount, classCount)) == labels[i])
            {
                correct++;
            }
        }

        return correct;
    }

    private static (float[] Mean, float[] InvStd) ComputeStandardization(float[] x, int n, int d)
    {
        var sum = new double[d];
        var sumSq = new double[d];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<float> row = x.AsSpan(i * d, d);
            for (int k = 0; k < d; k++)
            {
                double v = row[k];
                sum[k] += v;
                sumSq[k] += v * v;
            }
        }

        var mean = new float[d];
        var invStd = new float[d];
        for (int k = 0; k < d; k++)
        {
            double m = sum[k] / n;
            double variance = Math.Max(0, sumSq[k] / n - m * m);
            double std = Math.Sqrt(variance);
            mean[k] = (float)m;
            // A (near) constant feature carries no information: map it to 0 rather than amplify noise.
            invStd[k] = std > 1e-6 * Math.Max(1, Math.Abs(m)) ? (float)(1 / std) : 0f;
        }

        return (mean, invStd);
    }

    private static float[] Standardize(float[] x, int n, int d, float[] mean, float[] invStd)
    {
        var result = new float[n * d];
        for (int i = 0; i < n; i++)
        {
            Span<float> dst = result.AsSpan(i * d, d);
            TensorPrimitives.Subtract(x.AsSpan(i * d, d), mean, dst);
            TensorPrimitives.Multiply(dst, invStd, dst);
        }

        return result;
    }

    private static ulong Mix(int seed, int stream) => ((ulong)(uint)seed << 8) ^ ((ulong)stream * 0xD1B54A32D192ED03UL);
}
