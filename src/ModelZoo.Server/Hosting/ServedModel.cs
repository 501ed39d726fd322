namespace ModelZoo.Server.Hosting;

/// <summary>
/// A loaded task pipeline behind its micro-batcher: the unit the <see cref="ModelPool"/> loads, shares and evicts.
/// Every served model is a <see cref="ServedModel{TResult}"/>; this base is the view of callers that do not know the
/// task's result type (the native API writes whatever the task returns as its JSON). Thread-safe.
/// </summary>
public abstract class ServedModel : IPooledModel
{
    private protected ServedModel(ITaskEndpoint endpoint, long estimatedBytes)
    {
        Endpoint = endpoint;
        EstimatedBytes = estimatedBytes;
    }

    /// <summary>The model's card.</summary>
    public abstract ModelCard Card { get; }

    /// <summary>The adapter serving the model's task.</summary>
    public ITaskEndpoint Endpoint { get; }

    /// <summary>Memory the pool charges for this model (twice its files' size).</summary>
    public long EstimatedBytes { get; }

    /// <summary>Requests waiting for a batch.</summary>
    public abstract int QueueDepth { get; }

    /// <summary>
    /// Predicts one input, batched with whatever other requests arrive within the batching window, and returns the
    /// native response: the task's JSON object, geometry scaled by <paramref name="scaleX"/> × <paramref name="scaleY"/>
    /// to the pixels of the image as sent. Takes ownership of <paramref name="input"/>.
    /// </summary>
    /// <exception cref="ServeException">The queue is full (429) or the model is being unloaded (503).</exception>
    internal abstract Task<byte[]> PredictJsonAsync(ImageOrText input, PredictOptions options, float scaleX, float scaleY, CancellationToken ct);

    /// <summary>Predicts one input and drops the result.</summary>
    private protected abstract Task PredictAndDropAsync(ImageOrText input, PredictOptions options, CancellationToken ct);

    /// <summary>Runs one throw-away prediction so that the first client does not pay for ONNX Runtime's lazy initialisation.</summary>
    internal async Task WarmAsync(CancellationToken ct)
    {
        ImageOrText input;
        if (Endpoint.Input == TaskInput.Text)
        {
            input = ImageOrText.FromText("warm up");
        }
        else
        {
            var width = Card.Input is { Width: > 0 } spec ? spec.Width : 224;
            var height = Card.Input is { Height: > 0 } spec2 ? spec2.Height : 224;
            input = ImageOrText.FromImage(RgbImage.FromPixels(width, height, new byte[width * height * 3]));
        }
        await PredictAndDropAsync(input, new PredictOptions { Top = 1 }, ct).ConfigureAwait(false);
    }

    /// <summary>Finishes queued requests, then releases the native session.</summary>
    public abstract ValueTask DisposeAsync();
}
