using ModelZoo.Training.Optimizers;
using static ModelZoo.Training.OptionCheck;

namespace ModelZoo.Training.Heads;

/// <summary>How <see cref="HeadTrainer"/> trains a head. Immutable; call <see cref="Validate"/> to check values.</summary>
public sealed record HeadTrainingOptions
{
    /// <summary>Head shape.</summary>
    public HeadKind Head { get; init; } = HeadKind.Linear;

    /// <summary>Width of the hidden layer of an <see cref="HeadKind.Mlp"/> head.</summary>
    public int HiddenUnits { get; init; } = 256;

    /// <summary>Dropout probability after the hidden ReLU of an MLP head (training only; inverted dropout).</summary>
    public float Dropout { get; init; } = 0.2f;

    /// <summary>Update rule.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Peak learning rate.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>SGD momentum (ignored by Adam).</summary>
    public float Momentum { get; init; } = 0.9f;

    /// <summary>Use Nesterov momentum with SGD.</summary>
    public bool Nesterov { get; init; }

    /// <summary>
    /// Weight decay on weights (never biases): decoupled (AdamW) with Adam, L2 added to the gradient with SGD.
    /// </summary>
    public float WeightDecay { get; init; } = 1e-4f;

    /// <summary>Label smoothing ε in [0, 1).</summary>
    public float LabelSmoothing { get; init; }

    /// <summary>Planned number of passes over the training set.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>
    /// Fewest optimizer steps: when <see cref="Epochs"/> would take fewer (a small dataset has few batches per epoch),
    /// the epoch count is raised to reach it. 0 trains exactly <see cref="Epochs"/>.
    /// </summary>
    public int MinimumSteps { get; init; }

    /// <summary>Rows per optimizer step; the last batch of an epoch may be smaller.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Cosine decay of the learning rate to zero over all planned steps; false keeps it constant.</summary>
    public bool CosineSchedule { get; init; } = true;

    /// <summary>Steps of linear learning-rate warm-up at the start.</summary>
    public int WarmupSteps { get; init; }

    /// <summary>
    /// Stop after this many epochs without an improvement of the monitored loss (validation loss, or
    /// training loss without a validation set); null trains all epochs. The best epoch's weights are returned either way.
    /// </summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>Weight each class by <c>N / (C · count)</c> in the loss, so rare classes count as much as common ones.</summary>
    public bool BalanceClasses { get; init; }

    /// <summary>Clip gradients to this global L2 norm before each step; null disables clipping.</summary>
    public float? MaxGradientNorm { get; init; }

    /// <summary>
    /// Train on features standardised with the training set's per-dimension mean and standard deviation.
    /// The transform is folded into the first layer of the returned head, so the head (and its ONNX
    /// export) still takes raw features.
    /// </summary>
    public bool StandardizeFeatures { get; init; } = true;

    /// <summary>Seed for initialisation, shuffling and dropout; the same seed gives bit-identical results on the same machine.</summary>
    public int Seed { get; init; }

    /// <summary>Most threads a training step may use; results do not depend on it. 1 stays on the calling thread.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws a <see cref="ZooUsageException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        Require(Enum.IsDefined(Head), $"Unknown head kind {Head}; use Linear or Mlp.");
        Require(Enum.IsDefined(Optimizer), $"Unknown optimizer {Optimizer}; use Adam or Sgd.");
        Require(Head != HeadKind.Mlp || HiddenUnits >= 1, $"HiddenUnits is {HiddenUnits}; set at least 1 for an MLP head.");
        Require(Dropout >= 0f && Dropout < 1f, $"Dropout is {Dropout}; set a value in [0, 1).");
        Require(LearningRate > 0f && float.IsFinite(LearningRate), $"LearningRate is {LearningRate}; set a positive value such as 1e-3.");
        Require(Momentum >= 0f && Momentum < 1f, $"Momentum is {Momentum}; set a value in [0, 1).");
        Require(WeightDecay >= 0f && float.IsFinite(WeightDecay), $"WeightDecay is {WeightDecay}; set a non-negative value.");
        Require(LabelSmoothing >= 0f && LabelSmoothing < 1f, $"LabelSmoothing is {LabelSmoothing}; set a value in [0, 1).");
        Require(Epochs >= 1, $"Epochs is {Epochs}; set at least 1.");
        Require(MinimumSteps >= 0, $"MinimumSteps is {MinimumSteps}; set 0 or more.");
        Require(BatchSize >= 1, $"BatchSize is {BatchSize}; set at least 1.");
        Require(WarmupSteps >= 0, $"WarmupSteps is {WarmupSteps}; set 0 or more.");
        Require(EarlyStoppingPatience is null or >= 1, $"EarlyStoppingPatience is {EarlyStoppingPatience}; set at least 1 or leave it unset.");
        Require(MaxGradientNorm is null || MaxGradientNorm > 0f, $"MaxGradientNorm is {MaxGradientNorm}; set a positive value or leave it unset.");
        Require(MaxDegreeOfParallelism >= 1, $"MaxDegreeOfParallelism is {MaxDegreeOfParallelism}; set at least 1.");
    }
}
