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
    ];

    /// <summary><paramref name="message"/> with every API member of <see cref="Table"/> replaced by its flag.</summary>
    public static string ToFlags(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var (member, flag) in Table)
        {
            message = message.Replace(member, flag, StringComparison.Ordinal);
        }
        return message;
    }
}
