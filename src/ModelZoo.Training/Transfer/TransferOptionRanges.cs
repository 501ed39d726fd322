using static ModelZoo.Training.OptionCheck;

namespace ModelZoo.Training.Transfer;

/// <summary>
/// The ranges of <see cref="TransferOptions"/> a run can use, checked before anything is loaded or written: the head
/// trainer's own checks only require positive values, so a learning rate of 1e30 would train to NaN.
/// </summary>
internal static class TransferOptionRanges
{
    /// <summary>Largest learning rate accepted: beyond it Adam and SGD only diverge.</summary>
    public const float MaxLearningRate = 10f;

    /// <summary>Most epochs and batch rows accepted: far beyond any useful run, small enough to keep counts in range.</summary>
    public const int MaxCount = 100_000;

    /// <summary>Most augmented views per image.</summary>
    public const int MaxViews = 1000;

    /// <exception cref="ZooUsageException">The first value out of range, named by its option.</exception>
    public static void Check(TransferOptions o)
    {
        // `is { } x` reads both plain and nullable settings, so that defaults can become "unset" without touching this.
        if (o.LearningRate is { } lr)
        {
            Require(float.IsFinite(lr) && lr > 0 && lr <= MaxLearningRate,
                $"TransferOptions.LearningRate = {F(lr)} is out of range; pass a learning rate above 0 and at most {F(MaxLearningRate)}, e.g. TransferOptions.LearningRate = 0.001.");
        }
        if (o.FineTuneLearningRate is { } ftlr)
        {
            Require(float.IsFinite(ftlr) && ftlr > 0 && ftlr <= MaxLearningRate,
                $"TransferOptions.FineTuneLearningRate = {F(ftlr)} is out of range; pass a learning rate above 0 and at most {F(MaxLearningRate)}, e.g. TransferOptions.FineTuneLearningRate = 0.0001.");
        }
        if (o.Epochs is { } epochs)
        {
            Require(epochs is >= 1 and <= MaxCount, $"TransferOptions.Epochs = {epochs} is out of range; pass 1 to {MaxCount}, e.g. TransferOptions.Epochs = 10.");
        }
        if (o.FineTuneEpochs is { } ftEpochs)
        {
            Require(ftEpochs is >= 1 and <= MaxCount, $"TransferOptions.FineTuneEpochs = {ftEpochs} is out of range; pass 1 to {MaxCount}, e.g. TransferOptions.FineTuneEpochs = 5.");
        }
        Require(o.BatchSize is >= 1 and <= MaxCount, $"TransferOptions.BatchSize = {o.BatchSize} is out of range; pass 1 to {MaxCount}, e.g. TransferOptions.BatchSize = 32.");
        Require(o.Augment == AugmentationLevel.None || o.AugmentViews is >= 1 and <= MaxViews,
            $"TransferOptions.AugmentViews = {o.AugmentViews} is out of range; pass 1 to {MaxViews} augmented views per image, e.g. TransferOptions.AugmentViews = {TransferOptions.DefaultAugmentViews}.");
        Require(o.Head != HeadKind.Mlp || o.HeadOptions.HiddenUnits is >= 1 and <= MaxCount,
            $"HeadTrainingOptions.HiddenUnits = {o.HeadOptions.HiddenUnits} is out of range; pass 1 to {MaxCount} hidden units, e.g. HeadTrainingOptions.HiddenUnits = 256.");
        Require(o.HeadOptions.EarlyStoppingPatience is null or >= 1,
            $"HeadTrainingOptions.EarlyStoppingPatience = {o.HeadOptions.EarlyStoppingPatience} is out of range; pass at least 1 epoch, or leave it null.");
        Require(o.Session.IntraOpThreads >= 0, $"SessionSettings.IntraOpThreads = {o.Session.IntraOpThreads} is out of range; pass 0 (all cores) or more.");
    }

    private static string F(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
