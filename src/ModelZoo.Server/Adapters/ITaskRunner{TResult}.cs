using ModelZoo.Server.Hosting;

namespace ModelZoo.Server.Adapters;

/// <summary>A loaded model whose predictions are <typeparamref name="TResult"/> records.</summary>
/// <typeparam name="TResult">The task's result record; its camelCase JSON is the native API's response body
/// (e.g. <see cref="ClassificationResult"/>).</typeparam>
public interface ITaskRunner<TResult> : ITaskRunner
    where TResult : class
{
    /// <summary>
    /// Predicts a batch in one inference call and returns one result per request, in order. Throwing fails every
    /// request of the batch with that error.
    /// </summary>
    IReadOnlyList<TResult> Predict(IReadOnlyList<PredictRequest> batch);

    ServedModel ITaskRunner.Serve(ITaskEndpoint endpoint, long estimatedBytes, ZooServerOptions options, ServerMetrics metrics) =>
        new ServedModel<TResult>(endpoint, this, estimatedBytes, options, metrics);
}
