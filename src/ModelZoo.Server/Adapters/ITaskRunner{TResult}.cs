namespace ModelZoo.Server.Adapters;

/// <summary>A loaded model whose predictions are <typeparamref name="TResult"/> results.</summary>
/// <typeparam name="TResult">What one input gives (for a descriptor's task, the descriptor's result type).</typeparam>
public interface ITaskRunner<TResult> : ITaskRunner
{
    /// <summary>
    /// Predicts a batch in one inference call and returns one result per request, in order. Throwing fails every
    /// request of the batch with that error.
    /// </summary>
    IReadOnlyList<TResult> Predict(IReadOnlyList<PredictRequest> batch);

    /// <summary>Writes one result as the members of the native response's JSON object (the object is open).</summary>
    void WriteJson(Utf8JsonWriter writer, TResult result);

    /// <summary>Maps a result computed on an image decoded smaller than it was sent back to the pixels of the image as
    /// sent; results without geometry come back as they are.</summary>
    TResult ToSource(TResult result, float scaleX, float scaleY);

    ServedModel ITaskRunner.Serve(ITaskEndpoint endpoint, long estimatedBytes, ZooServerOptions options, ServerMetrics metrics) =>
        new ServedModel<TResult>(endpoint, this, estimatedBytes, options, metrics);
}
