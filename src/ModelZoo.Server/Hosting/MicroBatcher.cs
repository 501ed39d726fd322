using System.Threading.Channels;
using ModelZoo.Server.Adapters;

namespace ModelZoo.Server.Hosting;

/// <summary>
/// Collects concurrent requests for one model into micro-batches: a bounded channel feeds one collector that,
/// after the first request arrives, waits up to <c>maxWait</c> for up to <c>maxBatch</c> requests and runs them
/// in one <see cref="ITaskRunner.Predict"/> call. A full queue fails fast (429); a request cancelled while waiting
/// is dropped from its batch. Inputs are owned by the batcher once accepted and disposed after their batch.
/// </summary>
internal sealed class MicroBatcher : IAsyncDisposable
{
    private readonly ITaskRunner _runner;
    private readonly string _handle;
    private readonly int _maxBatch;
    private readonly TimeSpan _maxWait;
    private readonly int _capacity;
    private readonly ServerMetrics _metrics;
    private readonly Channel<Work> _queue;
    private readonly Task _loop;
    private int _depth;
    private volatile bool _closing;

    public MicroBatcher(ITaskRunner runner, int maxBatch, TimeSpan maxWait, int capacity, ServerMetrics metrics)
    {
        _runner = runner;
        _handle = runner.Card.Handle;
        _maxBatch = maxBatch;
        _maxWait = maxWait;
        _capacity = capacity;
        _metrics = metrics;
        _queue = Channel.CreateBounded<Work>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(CollectAsync);
    }

    /// <summary>Requests waiting for a batch.</summary>
    public int Depth => Volatile.Read(ref _depth);

    /// <summary>Queues one request and completes with its result. Takes ownership of <paramref name="request"/>'s input.</summary>
    /// <exception cref="ServeException">The queue is full (429) or the batcher is closing (503).</exception>
    public Task<object> EnqueueAsync(PredictRequest request, CancellationToken ct)
    {
        var work = new Work(request);
        Interlocked.Increment(ref _depth);
        if (_closing || !_queue.Writer.TryWrite(work))
        {
            Interlocked.Decrement(ref _depth);
            request.Input.Dispose();
            throw _closing ? ServeException.ShuttingDown(_handle) : ServeException.QueueFull(_handle, _capacity);
        }
        if (ct.CanBeCanceled)
        {
            work.Registration = ct.Register(static state => ((Work)state!).Result.TrySetCanceled(), work);
        }
        return work.Result.Task;
    }

    private async Task CollectAsync()
    {
        var batch = new List<Work>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            var deadline = DateTime.UtcNow + _maxWait;
            while (batch.Count < _maxBatch)
            {
                if (reader.TryRead(out var work))
                {
                    Interlocked.Decrement(ref _depth);
                    batch.Add(work);
                    continue;
                }
                var remaining = deadline - DateTime.UtcNow;
                if (batch.Count == 0 || remaining <= TimeSpan.Zero || _closing)
                {
                    break;
                }
                using var wait = new CancellationTokenSource(remaining);
                try
                {
                    if (!await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            if (batch.Count > 0)
            {
                Run(batch);
            }
        }
    }

    private void Run(List<Work> batch)
    {
        // Requests whose client went away or timed out while waiting are dropped before inference.
        var live = batch.Where(w => !w.Result.Task.IsCompleted).ToList();
        try
        {
            if (live.Count == 0)
            {
                return;
            }
            _metrics.ObserveBatch(_handle, live.Count);
            var results = _runner.Predict(live.Select(w => w.Request).ToList());
            if (results.Count != live.Count)
            {
                throw ZooErrors.AdapterResultCount.Raise(
                    $"the '{_runner.Card.Task}' adapter returned {results.Count} results for {live.Count} inputs; fix the adapter.");
            }
            for (var i = 0; i < live.Count; i++)
            {
                live[i].Result.TrySetResult(results[i]);
            }
        }
        catch (Exception ex)
        {
            foreach (var work in live)
            {
                work.Result.TrySetException(ex);
            }
        }
        finally
        {
            foreach (var work in batch)
            {
                work.Registration.Dispose();
                work.Request.Input.Dispose();
            }
        }
    }

    /// <summary>Stops accepting requests, finishes the ones already queued, and waits for the collector to end.</summary>
    public async ValueTask DisposeAsync()
    {
        _closing = true;
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private sealed class Work(PredictRequest request)
    {
        public PredictRequest Request { get; } = request;
        public TaskCompletionSource<object> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public CancellationTokenRegistration Registration { get; set; }
    }
}
