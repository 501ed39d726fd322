namespace ModelZoo.Cli.Infrastructure;

/// <summary>
/// The library's error messages name API members (<c>ImageTaskOptions.BatchSize</c>), which mean something to a program
/// that hosts the library; on the command line the same setting is a flag. This table maps one to the other when the
/// CLI prints an error.
/// </summary>
public static class ApiFlags
{
    /// <summary>API member as the library's messages write it → the <c>zoo</c> flag that sets it.</summary>
    public static IReadOnlyList<(string Member, string Flag)> Table { get; } =
    [
        ("ImageTaskOptions.BatchSize", "--batch"),
        ("ClassificationOptions.Top", "--top"),
        ("ModelCatalog.Register with overwrite: true", "--force"),
        ("BatchWorkerOptions.WorkerId", "--worker-id"),
        ("BatchWorkerOptions.Prefetch", "--prefetch"),
        ("BatchBroker.SubmitAsync groupSize", "--group"),
        ("BatchBroker.SubmitAsync attempts", "--attempts"),
        ("BatchBroker.SubmitAsync job", "--job"),
        ("BatchBroker.SubmitAsync", "`zoo batch submit`"),
        ("BatchBroker.ConnectAsync broker", "--broker"),
        ("BatchQueues.CheckJob job", "--job"),
        ("BatchShard.Parse text", "--shard"),
        ("BatchTasks.Parse name", "--task"),
        ("BatchCollector.Collect outputFolder", "--out"),
        ("BatchWorkerOptions.OutputFolder", "--out"),
        ("TransferOptions.BaseHandle", "--base"),
        ("TransferOptions.Data", "--data"),
        ("TransferOptions.OutputDirectory", "--out"),
        ("TransferOptions.Name", "--name"),
        ("TransferOptions.Overwrite = true", "--force"),
        ("TransferOptions.LearningRate", "--lr"),
        ("TransferOptions.FineTuneLearningRate", "--finetune-lr"),
        ("TransferOptions.Epochs", "--epochs"),
        ("TransferOptions.FineTuneEpochs", "--finetune-epochs"),
        ("TransferOptions.BatchSize", "--batch"),
        ("TransferOptions.AugmentViews", "--views"),
        ("TransferOptions.ValidationSplit", "--val-split"),
        ("TransferOptions.Unfreeze", "--unfreeze"),
        ("TransferOptions.UnfreezeFrom", "--unfreeze-from"),
        ("HeadTrainingOptions.HiddenUnits", "--hidden"),
        ("HeadTrainingOptions.EarlyStoppingPatience", "--patience"),
        ("SessionSettings.IntraOpThreads", "--threads"),
        ("SessionSettings.Provider", "--device"),
        ("HeadlessCutter.Cut at", "--at"),
        ("DarknetImportOptions.Labels", "--labels"),
    ];

    // Longest first, so that a member that starts another (Unfreeze, UnfreezeFrom) never replaces part of it.
    private static readonly IReadOnlyList<(string Member, string Flag)> LongestFirst =
        [.. Table.OrderByDescending(entry => entry.Member.Length)];

    /// <summary><paramref name="message"/> with every API member of <see cref="Table"/> replaced by its flag; an
    /// assignment (<c>TransferOptions.Epochs = 10</c>) becomes the flag and its value (<c>--epochs 10</c>).</summary>
    public static string ToFlags(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var (member, flag) in LongestFirst)
        {
            message = message.Replace(member + " = ", flag + " ", StringComparison.Ordinal)
                .Replace(member, flag, StringComparison.Ordinal);
        }
        return message;
    }
}
