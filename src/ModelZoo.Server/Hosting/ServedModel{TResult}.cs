namespace ModelZoo.Server.Hosting;

/// <summary>A served task pipeline whose predictions are <typeparamref name="TResult"/> results.</summary>
/// <typeparam name="TResult">What the task gives per input (e.g. <c>IReadOnlyList&lt;Prediction&gt;</c>).</typeparam>
public sealed class ServedModel<TResult> : ServedModel
{
    private readonly ITaskRunner<TResult> _runner;
    private readonly MicroBatcher<PredictRequest, TResult> _batcher;

    internal ServedModel(ITaskEndpoint endpoint, ITaskRunner<TResult> runner, long estimatedBytes, ZooServerOptions options, ServerMetrics metrics)
        : base(endpoint, estimatedBytes)
    {
        _runner = runner;
        var handle = runner.Card.Handle;
        // One batch runs at a time per model, so the last snapshot needs no lock.
        var counted = runner.Timings;
        _batcher = new MicroBatcher<PredictRequest, TResult>(handle, batch =>
        {
            metrics.ObserveBatch(handle, batch.Count);
            var results = runner.Predict(batch.Select(s => s.Request).ToList());
            if (runner.Timings is { } timings)
            {
                metrics.ObserveStages(handle, counted is null ? timings : timings.Since(counted));
                counted = timings;
            }
            if (results.Count != batch.Count)
            {
                throw ZooErrors.AdapterResultCount.Raise(
                    $"the '{runner.Card.Task}' adapter returned {results.Count} results for {batch.Count} inputs; fix the adapter.");
            }
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Complete(results[i]);
            }
        }, options, request => request.Input.Dispose());
    }

    /// <inheritdoc />
    public override ModelCard Card => _runner.Card;

    /// <inheritdoc />
    public override int QueueDepth => _batcher.Depth;

    /// <summary>
    /// Predicts one input, batched with whatever other requests arrive within the batching window. Takes ownership
    /// of <paramref name="input"/> (its image is disposed after its batch). Cancelling drops the request from its batch
    /// if inference has not started.
    /// </summary>
    /// <exception cref="ServeException">The queue is full (429) or the model is being unloaded (503).</exception>
    public Task<TResult> PredictAsync(ImageOrText input, PredictOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        return _batcher.EnqueueAsync(new PredictRequest(input, options), ct);
    }

    /// <summary><see cref="PredictAsync(ImageOrText, PredictOptions, CancellationToken)"/> on an image decoded smaller than it
    /// was sent, its geometry scaled by <paramref name="scaleX"/> and <paramref name="scaleY"/> back to the sent pixels.</summary>
    public async Task<TResult> PredictAsync(ImageOrText input, PredictOptions options, float scaleX, float scaleY, CancellationToken ct = default)
    {
        var result = await PredictAsync(input, options, ct).ConfigureAwait(false);
        return scaleX != 1f || scaleY != 1f ? _runner.ToSource(result, scaleX, scaleY) : result;
    }

    internal override async Task<byte[]> PredictJsonAsync(ImageOrText input, PredictOptions options, float scaleX, float scaleY, CancellationToken ct)
    {
        var result = await PredictAsync(input, options, scaleX, scaleY, ct).ConfigureAwait(false);
        return ResultJson.Object(w => _runner.WriteJson(w, result));
    }

    private protected override Task PredictAndDropAsync(ImageOrText input, PredictOptions options, CancellationToken ct) => PredictAsync(input, options, ct);

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await _batcher.DisposeAsync().ConfigureAwait(false);
        _runner.Dispose();
    }
}
