using ModelZoo.Runtime;
using ModelZoo.Training.Optimizers;

namespace ModelZoo.Training.Transfer;

/// <summary>What <see cref="TransferLearner.TrainAsync"/> trains: base model, data, output and head settings.</summary>
public sealed record TransferOptions
{
    /// <summary>Default number of augmented views per training image for light and strong augmentation.</summary>
    public const int DefaultAugmentViews = 4;

    /// <summary>Catalog handle of the base model (an image-classification or image-feature-vector model).</summary>
    public required string BaseHandle { get; init; }

    /// <summary>A folder with one sub-folder of images per class, or a CSV file with a <c>path,label</c> header.</summary>
    public required string Data { get; init; }

    /// <summary>Folder the artifacts are written to (created if needed; files in it are replaced).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Handle the trained model is registered under; default <c>local/&lt;data folder name&gt;</c>.</summary>
    public string? Name { get; init; }

    /// <summary>Fewest optimizer steps of mini-batch head training when <see cref="Epochs"/> is not given: the epoch count is
    /// raised until the run takes at least this many (small datasets have few steps per epoch).</summary>
    public const int MinimumDefaultSteps = 300;

    /// <summary>
    /// Training epochs of mini-batch head training. Null (the default): a linear head is solved to its optimum by
    /// <see cref="LinearHeadSolver"/> (no epochs or learning rate to choose), and an MLP head trains for at least 10
    /// epochs and <see cref="MinimumDefaultSteps"/> steps. Setting it (or <see cref="LearningRate"/>) trains a linear
    /// head with mini-batches instead, except when fine-tuning, where it is the default of <see cref="FineTuneEpochs"/>
    /// (see <see cref="SolvesHead"/>).
    /// </summary>
    public int? Epochs { get; init; }

    /// <summary>Mini-batch size of head training.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Peak learning rate of mini-batch training; null: 1e-3 (Adam with a cosine schedule). Setting it selects
    /// mini-batch training for a linear head too (see <see cref="Epochs"/>).</summary>
    public float? LearningRate { get; init; }

    /// <summary>Options of the linear-head solver (L2 grid, folds, tolerance); balancing, label smoothing and
    /// standardisation follow <see cref="HeadOptions"/>.</summary>
    public LinearHeadSolverOptions SolverOptions { get; init; } = new();

    /// <summary>Whether the (frozen-backbone) head is solved by <see cref="LinearHeadSolver"/>: a linear head with neither
    /// <see cref="Epochs"/> nor <see cref="LearningRate"/> given. When fine-tuning, <see cref="Epochs"/> only sets the
    /// fine-tuning epochs (see <see cref="FineTuneEpochs"/>), so the frozen head is still solved unless a learning rate is given.</summary>
    public bool SolvesHead => Head == HeadKind.Linear && LearningRate is null && (Epochs is null || FineTunes);

    /// <summary>Share of each class held out for validation (0 for none).</summary>
    public double ValidationSplit { get; init; } = 0.2;

    /// <summary>Seed of the split, augmentation plan and head initialisation.</summary>
    public int Seed { get; init; }

    /// <summary>Augmentation of training images (validation images are never augmented).</summary>
    public AugmentationLevel Augment { get; init; } = AugmentationLevel.None;

    /// <summary>Augmented views per training image (besides the image itself) for light and strong augmentation.</summary>
    public int AugmentViews { get; init; } = DefaultAugmentViews;

    /// <summary>Decode a JPEG much larger than the model input at the smallest DCT scale its resize still shrinks, as
    /// the image pipelines do (<see cref="Tasks.ImageTaskOptions.ScaledDecode"/>), so the head learns from the vectors
    /// classification will see; augmented views always start from the full photo. Vectors of either decode are cached
    /// apart.</summary>
    public bool ScaledDecode { get; init; } = true;

    /// <summary>Head shape.</summary>
    public HeadKind Head { get; init; } = HeadKind.Linear;

    /// <summary>Optimizer.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>
    /// Further head-training settings (hidden units, dropout, weight decay, label smoothing, schedule, early stopping,
    /// class balancing…). <see cref="Head"/>, <see cref="Optimizer"/>, <see cref="Epochs"/>, <see cref="BatchSize"/>,
    /// <see cref="LearningRate"/> and <see cref="Seed"/> override the same fields here.
    /// </summary>
    public HeadTrainingOptions HeadOptions { get; init; } = new();

    /// <summary>Images per backbone inference call.</summary>
    public int ExtractionBatchSize { get; init; } = 16;

    /// <summary>ONNX Runtime settings of the backbone session.</summary>
    public SessionSettings Session { get; init; } = new();

    /// <summary>Whether a user card of the same handle trained into another folder may be replaced. True by default (a
    /// program retrains on purpose); <c>zoo train</c> sets it only with <c>--force</c>. When false such a run is refused
    /// before training; retraining into the folder the card already points at is always allowed.</summary>
    public bool Overwrite { get; init; } = true;

    /// <summary>
    /// Fine-tune the backbone's last <c>N</c> weight layers (Conv, Gemm, MatMul with constant weights, counted back
    /// from the features) together with the head; the split moves back to the nearest point where one tensor joins
    /// the frozen prefix to the rest (e.g. a residual block's input). Null: the backbone stays frozen. See
    /// <see cref="FineTuning.FineTuner"/>.
    /// </summary>
    public int? Unfreeze { get; init; }

    /// <summary>Fine-tune everything after this tensor of the backbone (instead of <see cref="Unfreeze"/>).</summary>
    public string? UnfreezeFrom { get; init; }

    /// <summary>Fine-tuning epochs after the head has been trained on the frozen backbone; default <see cref="Epochs"/>, or 10.</summary>
    public int? FineTuneEpochs { get; init; }

    /// <summary>Peak learning rate of fine-tuning; default a tenth of <see cref="LearningRate"/> (1e-4 with Adam when that is
    /// not given). A step whose loss spikes or is not finite rolls the weights back and halves the rate.</summary>
    public float? FineTuneLearningRate { get; init; }

    /// <summary>Whether <see cref="Unfreeze"/> or <see cref="UnfreezeFrom"/> asks for fine-tuning.</summary>
    public bool FineTunes => Unfreeze is not null || UnfreezeFrom is not null;

    /// <summary>The mini-batch head-training options these settings describe (used for MLP heads, and for linear heads when
    /// <see cref="Epochs"/> or <see cref="LearningRate"/> is given).</summary>
    public HeadTrainingOptions ToHeadTrainingOptions() => HeadOptions with
    {
        Head = Head,
        Optimizer = Optimizer,
        Epochs = Epochs ?? HeadOptions.Epochs,
        MinimumSteps = Epochs is null ? Math.Max(HeadOptions.MinimumSteps, MinimumDefaultSteps) : HeadOptions.MinimumSteps,
        BatchSize = BatchSize,
        LearningRate = LearningRate ?? HeadOptions.LearningRate,
        Seed = Seed,
    };

    /// <summary>The solver options these settings describe.</summary>
    public LinearHeadSolverOptions ToSolverOptions() => SolverOptions with
    {
        BalanceClasses = HeadOptions.BalanceClasses,
        LabelSmoothing = HeadOptions.LabelSmoothing,
        StandardizeFeatures = HeadOptions.StandardizeFeatures,
        MaxDegreeOfParallelism = HeadOptions.MaxDegreeOfParallelism,
    };

    /// <summary>Checks every setting; throws a <see cref="ZooUsageException"/> naming the first bad one.</summary>
    public void Validate()
    {
        TransferOptionRanges.Check(this);
        if (string.IsNullOrWhiteSpace(BaseHandle))
        {
            throw new ZooUsageException("no base model given; set TransferOptions.BaseHandle to a model handle, e.g. TransferOptions.BaseHandle = imagenet/resnet18/feature_vector.");
        }

        if (string.IsNullOrWhiteSpace(Data))
        {
            throw new ZooUsageException("no dataset given; set TransferOptions.Data to a folder of class sub-folders or a path,label CSV.");
        }

        if (string.IsNullOrWhiteSpace(OutputDirectory))
        {
            throw new ZooUsageException("no output folder given; set TransferOptions.OutputDirectory to a folder.");
        }

        if (double.IsNaN(ValidationSplit) || ValidationSplit < 0 || ValidationSplit >= 1)
        {
            throw new ZooUsageException(string.Create(CultureInfo.InvariantCulture,
                $"TransferOptions.ValidationSplit = {ValidationSplit} is out of range; use a value from 0 up to but not including 1, e.g. 0.2."));
        }

        if (Augment != AugmentationLevel.None && AugmentViews < 1)
        {
            throw new ZooUsageException($"{AugmentViews} augmented views per image requested; use at least 1 (e.g. {DefaultAugmentViews}).");
        }

        if (ExtractionBatchSize < 1)
        {
            throw new ZooUsageException($"extraction batch size must be at least 1, got {ExtractionBatchSize}.");
        }

        if (Unfreeze is not null && UnfreezeFrom is not null)
        {
            throw new ZooUsageException("TransferOptions.Unfreeze and TransferOptions.UnfreezeFrom both given; pass only one of them.");
        }

        if (Unfreeze is < 1)
        {
            throw new ZooUsageException($"TransferOptions.Unfreeze = {Unfreeze} is out of range; pass the number of trailing weight layers to train, e.g. TransferOptions.Unfreeze = 2.");
        }

        if (UnfreezeFrom is not null && string.IsNullOrWhiteSpace(UnfreezeFrom))
        {
            throw new ZooUsageException("TransferOptions.UnfreezeFrom is empty; pass the name of a backbone tensor to train from.");
        }

        if (FineTuneEpochs is < 1 || FineTuneLearningRate is { } rate && !(rate > 0 && float.IsFinite(rate)))
        {
            throw new ZooUsageException("fine-tuning needs at least one epoch and a positive learning rate; check TransferOptions.FineTuneEpochs and TransferOptions.FineTuneLearningRate.");
        }

        ToHeadTrainingOptions().Validate();
        ToSolverOptions().Validate();
    }
}
