namespace ModelZoo.Server.InferenceProtocol;

/// <summary>A tensor model borrowed from the <see cref="Hosting.ModelPool"/>; never evicted while open.</summary>
internal sealed class TensorLease(TensorModel model, Action release) : IDisposable
{
    private Action? _release = release;

    public TensorModel Model { get; } = model;

    public void Dispose() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
