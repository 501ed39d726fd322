using System.Threading.Channels;
using ModelZoo.Runtime;
using ModelZoo.Server.Hosting;

namespace ModelZoo.Server.InferenceProtocol;

/// <summary>
/// Micro-batching for tensor requests: after the first request arrives the collector waits up to <c>maxWait</c> for up
/// to <c>maxBatch</c> more, then concatenates requests whose inputs agree on everything but the leading dimension (and
/// that ask for the same outputs) into one session run and splits the outputs back by rows. That is only possible when
/// every model input has a variable leading dimension and every output's leading dimension is the batch; otherwise, or
/// for a request that fits no group, requests run one by one. A full queue fails fast (429).
/// </summary>
internal sealed class TensorBatcher : IAsyncDisposable
{
    private readonly ModelSession _session;
    private readonly string _handle;
    private readonly int _maxBatch;
    private readonly TimeSpan _maxWait;
    private readonly int _capacity;
    private readonly ServerMetrics _metrics;
    private readonly bool _batchable;
    private readonly Channel<Work> _queue;
    private readonly Task _loop;
    private volatile bool _closing;

    public TensorBatcher(ModelSession session, string handle, ZooServerOptions options, ServerMetrics metrics)
    {
        _session = session;
        _handle = handle;
        _maxBatch = options.MaxBatch;
        _maxWait = options.MaxWait;
        _capacity = options.QueueCapacity;
        _metrics = metrics;
        _batchable = session.Inputs.All(i => i.Shape.Count > 0 && i.Shape[0] < 0);
        _queue = Channel.CreateBounded<Work>(new BoundedChannelOptions(_capacity) { SingleReader = true });
        _loop = Task.Run(CollectAsync);
    }

    /// <summary>Queues one request and completes with its outputs, in the order the request named them.</summary>
    /// <exception cref="ServeException">The queue is full (429) or the model is being unloaded (503).</exception>
    public Task<IReadOnlyList<NamedTensor>> EnqueueAsync(TensorRequest request, CancellationToken ct)
    {
        var work = new Work(request);
        if (_closing || !_queue.Writer.TryWrite(work))
        {
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
            var live = batch.Where(w => !w.Result.Task.IsCompleted).ToList();
            var groups = _batchable ? live.GroupBy(w => w.Key, StringComparer.Ordinal).Select(g => g.ToList()) : live.Select(w => new List<Work> { w });
            foreach (var group in groups)
            {
                Run(group);
            }
            foreach (var work in batch)
            {
                work.Registration.Dispose();
            }
        }
    }

    private void Run(List<Work> group)
    {
        if (group.Count > 1 && TryRunTogether(group))
        {
            return;
        }
        foreach (var work in group)
        {
            try
            {
                _metrics.ObserveBatch(_handle, 1);
                work.Result.TrySetResult(_session.Run(work.Request.Inputs, work.Request.Outputs));
            }
            catch (Exception ex)
            {
                work.Result.TrySetException(Wrap(ex));
            }
        }
    }

    /// <summary>Runs a group as one batch; false (nothing answered) when an output's leading dimension is not the batch.</summary>
    private bool TryRunTogether(List<Work> group)
    {
        var first = group[0].Request;
        var rows = group.Select(w => w.Request.Inputs[0].Shape[0]).ToArray();
        var total = rows.Sum();
        var inputs = new List<NamedTensor>(first.Inputs.Count);
        for (var i = 0; i < first.Inputs.Count; i++)
        {
            var template = first.Inputs[i];
            var data = Array.CreateInstance(template.Data.GetType().GetElementType()!, group.Sum(w => w.Request.Inputs[i].Data.Length));
            var offset = 0;
            foreach (var work in group)
            {
                var part = work.Request.Inputs[i].Data;
                Array.Copy(part, 0, data, offset, part.Length);
                offset += part.Length;
            }
            var shape = (long[])template.Shape.Clone();
            shape[0] = total;
            inputs.Add(new NamedTensor(template.Name, data, shape));
        }
        IReadOnlyList<NamedTensor> outputs;
        try
        {
            outputs = _session.Run(inputs, first.Outputs);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // One request's bad values could fail the whole batch; running them alone attributes the failure.
            return false;
        }
        if (outputs.Any(o => o.Shape.Length == 0 || o.Shape[0] != total))
        {
            return false;
        }
        _metrics.ObserveBatch(_handle, group.Count);
        long row = 0;
        for (var r = 0; r < group.Count; r++)
        {
            var parts = new NamedTensor[outputs.Count];
            for (var o = 0; o < outputs.Count; o++)
            {
                var output = outputs[o];
                var rowSize = output.Data.Length / total;
                var data = Array.CreateInstance(output.Data.GetType().GetElementType()!, rowSize * rows[r]);
                Array.Copy(output.Data, row * rowSize, data, 0, data.Length);
                var shape = (long[])output.Shape.Clone();
                shape[0] = rows[r];
                parts[o] = new NamedTensor(output.Name, data, shape);
            }
            row += rows[r];
            group[r].Result.TrySetResult(parts);
        }
        return true;
    }

    private static Exception Wrap(Exception ex) => ex is ArgumentException
        ? V2DataTypes.Bad(ex.Message.TrimEnd('.') + "; check the tensors against GET /v2/models/NAME.")
        : ex;

    /// <summary>Stops accepting requests, finishes the ones already queued, and waits for the collector to end.</summary>
    public async ValueTask DisposeAsync()
    {
        _closing = true;
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private sealed class Work(TensorRequest request)
    {
        public TensorRequest Request { get; } = request;

        /// <summary>Requests with the same key can be concatenated: same input names and trailing dimensions, same outputs.</summary>
        public string Key { get; } = BatchKey(request);

        public TaskCompletionSource<IReadOnlyList<NamedTensor>> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public CancellationTokenRegistration Registration { get; set; }

        private static string BatchKey(TensorRequest request)
        {
            if (request.Inputs.Any(i => i.Shape.Length == 0) || request.Inputs.Select(i => i.Shape[0]).Distinct().Count() != 1)
            {
                // Scalars and inputs with different leading dimensions cannot be stacked with anything.
                return "alone:" + Guid.NewGuid().ToString("N");
            }
            return string.Join(";", request.Inputs.Select(i => i.Name + ":" + string.Join(",", i.Shape.Skip(1))))
                + "|" + string.Join(",", request.Outputs);
        }
    }
}
