namespace ModelZoo.Server.Adapters;

/// <summary>
/// A loaded model that predicts micro-batches; implement <see cref="ITaskRunner{TResult}"/>. The server calls
/// <see cref="ITaskRunner{TResult}.Predict"/> from one batcher per model, one batch at a time, so implementations only
/// need the thread-safety their pipeline already has.
/// </summary>
public interface ITaskRunner : IDisposable
{
    /// <summary>The served model's card.</summary>
    ModelCard Card { get; }

    /// <summary>Time the runner's pipeline spent per stage so far, over every batch; null when it does not count
    /// stages. The server reports the difference after each batch on its metrics.</summary>
    ModelZoo.Tasks.StageTimings? Timings => null;

    /// <summary>Puts the runner behind a typed batcher. Implemented by <see cref="ITaskRunner{TResult}"/>, which knows the
    /// result type: the pool only sees the untyped runner an adapter opened.</summary>
    internal ServedModel Serve(ITaskEndpoint endpoint, long estimatedBytes, ZooServerOptions options, ServerMetrics metrics);
}
