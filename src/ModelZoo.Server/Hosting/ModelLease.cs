namespace ModelZoo.Server.Hosting;

/// <summary>
/// A loaded model borrowed from the <see cref="ModelPool"/>: while a lease is open the model is never evicted.
/// Dispose it when the request is answered.
/// </summary>
public sealed class ModelLease : IDisposable
{
    private Action? _release;

    internal ModelLease(ServedModel model, Action release)
    {
        Model = model;
        _release = release;
    }

    /// <summary>The borrowed model.</summary>
    public ServedModel Model { get; }

    /// <summary>Returns the model to the pool (idempotent).</summary>
    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
