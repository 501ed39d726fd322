using ModelZoo.Catalog;

namespace ModelZoo.Server.Adapters;

/// <summary>
/// A loaded model that predicts micro-batches. The server calls <see cref="Predict"/> from one batcher per model,
/// one batch at a time, so implementations only need the thread-safety their pipeline already has.
/// </summary>
public interface ITaskRunner : IDisposable
{
    /// <summary>The served model's card.</summary>
    ModelCard Card { get; }

    /// <summary>
    /// Predicts a batch in one inference call and returns one result per request, in order. Each result is a
    /// typed record whose camelCase JSON is the native API's response body (e.g. <see cref="ClassificationResult"/>).
    /// Throwing fails every request of the batch with that error.
    /// </summary>
    IReadOnlyList<object> Predict(IReadOnlyList<PredictRequest> batch);
}
