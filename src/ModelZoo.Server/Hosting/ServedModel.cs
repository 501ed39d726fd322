using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Server.Adapters;

namespace ModelZoo.Server.Hosting;

/// <summary>
/// A loaded model behind its micro-batcher: the unit the <see cref="ModelPool"/> loads, shares and evicts.
/// Thread-safe; concurrent <see cref="PredictAsync"/> calls are batched together.
/// </summary>
public sealed class ServedModel : IAsyncDisposable
{
    private readonly ITaskRunner _runner;
    private readonly MicroBatcher _batcher;

    internal ServedModel(ITaskEndpoint endpoint, ITaskRunner runner, long estimatedBytes, ZooServerOptions options, ServerMetrics metrics)
    {
        Endpoint = endpoint;
        _runner = runner;
        EstimatedBytes = estimatedBytes;
        _batcher = new MicroBatcher(runner, options.MaxBatch, options.MaxWait, options.QueueCapacity, metrics);
    }

    /// <summary>The model's card.</summary>
    public ModelCard Card => _runner.Card;

    /// <summary>The adapter serving the model's task.</summary>
    public ITaskEndpoint Endpoint { get; }

    /// <summary>Memory the pool charges for this model (twice its files' size).</summary>
    public long EstimatedBytes { get; }

    /// <summary>Requests waiting for a batch.</summary>
    public int QueueDepth => _batcher.Depth;

    /// <summary>
    /// Predicts one input, batched with whatever other requests arrive within the batching window. Takes ownership
    /// of <paramref name="input"/> (its image is disposed after its batch). Cancelling drops the request from its batch
    /// if inference has not started.
    /// </summary>
    /// <returns>The adapter's typed result (e.g. <see cref="ClassificationResult"/>).</returns>
    /// <exception cref="ServeException">The queue is full (429) or the model is being unloaded (503).</exception>
    public Task<object> PredictAsync(ImageOrText input, PredictOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        return _batcher.EnqueueAsync(new PredictRequest(input, options), ct);
    }

    /// <summary>Runs one throw-away prediction so that the first client does not pay for ONNX Runtime's lazy initialisation.</summary>
    internal async Task WarmAsync(CancellationToken ct)
    {
        ImageOrText input;
        if (Endpoint.Input == TaskInputKind.Text)
        {
            input = ImageOrText.FromText("warm up");
        }
        else
        {
            var width = Card.Input is { Width: > 0 } spec ? spec.Width : 224;
            var height = Card.Input is { Height: > 0 } spec2 ? spec2.Height : 224;
            input = ImageOrText.FromImage(RgbImage.FromPixels(width, height, new byte[width * height * 3]));
        }
        await PredictAsync(input, new PredictOptions { Top = 1 }, ct).ConfigureAwait(false);
    }

    /// <summary>Finishes queued requests, then releases the native session.</summary>
    public async ValueTask DisposeAsync()
    {
        await _batcher.DisposeAsync().ConfigureAwait(false);
        _runner.Dispose();
    }
}
