namespace ModelZoo.Cli.Infrastructure;

/// <summary>
/// Progress reported on the reporting thread, in order: <see cref="Progress{T}"/> would post each report to the thread
/// pool (or a captured context), so bars and lines could lag behind or arrive out of order.
/// </summary>
/// <typeparam name="T">What a report carries.</typeparam>
/// <param name="report">Called with each report.</param>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => report(value);
}
