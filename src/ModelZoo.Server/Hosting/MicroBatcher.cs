using System.Threading.Channels;

namespace ModelZoo.Server.Hosting;

/// <summary>
/// Collects concurrent requests for one model into micro-batches: a bounded channel feeds one collector that,
/// after the first request arrives, waits up to <see cref="ZooServerOptions.MaxWait"/> for up to
/// <see cref="ZooServerOptions.MaxBatch"/> requests and hands the ones still waiting to the model's run function.
/// A full queue fails fast (429); a request cancelled while waiting is dropped from its batch. Task pipelines and
/// tensor models share this one batcher; what differs (how a batch runs) is the run function.
/// </summary>
/// <typeparam name="TRequest">One queued request.</typeparam>
/// <typeparam name="TResult">What a request completes with.</typeparam>
internal sealed class MicroBatcher<TRequest, TResult> : IAsyncDisposable
{
    private readonly string _handle;
    private readonly Action<IReadOnlyList<Slot>> _run;
    private readonly Action<TRequest>? _release;
    private readonly int _maxBatch;
    private readonly TimeSpan _maxWait;
    private readonly int _capacity;
    private readonly Channel<Slot> _queue;
    private readonly Task _loop;
    private int _depth;
    private volatile bool _closing;

    /// <param name="handle">The model's handle, for errors.</param>
    /// <param name="run">Runs a batch of live requests and completes each slot; an exception it throws fails every
    /// slot it left open.</param>
    /// <param name="options">Batch size, batching window and queue capacity.</param>
    /// <param name="release">Called once for every accepted request after its batch (or at once when it is refused),
    /// to return what the request holds.</param>
    public MicroBatcher(string handle, Action<IReadOnlyList<Slot>> run, ZooServerOptions options, Action<TRequest>? release = null)
    {
        _handle = handle;
        _run = run;
        _release = release;
        _maxBatch = options.MaxBatch;
        _maxWait = options.MaxWait;
        _capacity = options.QueueCapacity;
        _queue = Channel.CreateBounded<Slot>(new BoundedChannelOptions(_capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(CollectAsync);
    }

    /// <summary>Requests waiting for a batch.</summary>
    public int Depth => Volatile.Read(ref _depth);

    /// <summary>Queues one request and completes with its result. Takes ownership of what <paramref name="request"/> holds.</summary>
    /// <exception cref="ServeException">The queue is full (429) or the batcher is closing (503).</exception>
    public Task<TResult> EnqueueAsync(TRequest request, CancellationToken ct)
    {
        var slot = new Slot(request);
        Interlocked.Increment(ref _depth);
        if (_closing || !_queue.Writer.TryWrite(slot))
        {
            Interlocked.Decrement(ref _depth);
            _release?.Invoke(request);
            throw _closing ? ServeException.ShuttingDown(_handle) : ServeException.QueueFull(_handle, _capacity);
        }
        if (ct.CanBeCanceled)
        {
            slot.Registration = ct.Register(static state => ((Slot)state!).Result.TrySetCanceled(), slot);
        }
        return slot.Result.Task;
    }

    private async Task CollectAsync()
    {
        var batch = new List<Slot>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            var deadline = DateTime.UtcNow + _maxWait;
            while (batch.Count < _maxBatch)
            {
                if (reader.TryRead(out var slot))
                {
                    Interlocked.Decrement(ref _depth);
                    batch.Add(slot);
                    continue;
                }
                var remaining = deadline - DateTime.UtcNow;
                if (batch.Count == 0 || remaining <= TimeSpan.Zero || _closing || !await MoreAsync(reader, remaining).ConfigureAwait(false))
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

    /// <summary>Waits up to <paramref name="remaining"/> for another request; false when none came or the queue closed.</summary>
    private static async Task<bool> MoreAsync(ChannelReader<Slot> reader, TimeSpan remaining)
    {
        using var wait = new CancellationTokenSource(remaining);
        try
        {
            return await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Run(List<Slot> batch)
    {
        // Requests whose client went away or timed out while waiting are dropped before inference.
        var live = batch.Where(s => !s.Result.Task.IsCompleted).ToList();
        try
        {
            if (live.Count > 0)
            {
                _run(live);
            }
        }
        catch (Exception ex)
        {
            foreach (var slot in live)
            {
                slot.Fail(ex);
            }
        }
        finally
        {
            foreach (var slot in batch)
            {
                slot.Registration.Dispose();
                _release?.Invoke(slot.Request);
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

    /// <summary>One queued request and the answer its caller waits for.</summary>
    public sealed class Slot(TRequest request)
    {
        /// <summary>The request.</summary>
        public TRequest Request { get; } = request;

        internal TaskCompletionSource<TResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal CancellationTokenRegistration Registration { get; set; }

        /// <summary>Answers the request (ignored when it was already answered or cancelled).</summary>
        public void Complete(TResult result) => Result.TrySetResult(result);

        /// <summary>Fails the request (ignored when it was already answered or cancelled).</summary>
        public void Fail(Exception error) => Result.TrySetException(error);
    }
}
