using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using ModelZoo.Catalog;
using ModelZoo.Store;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace ModelZoo.Batch;

/// <summary>
/// A competing consumer of a job's work queue. It takes up to <see cref="BatchWorkerOptions.Prefetch"/> messages, checks
/// each image against the SHA-256 it was submitted with, runs the task, appends the results to its own JSON-lines
/// file, makes them durable (fsync), and only then acknowledges the messages. A killed worker therefore loses nothing:
/// its unacknowledged messages go back to the queue and another worker redoes them (the collector drops the duplicate
/// lines). A message whose images fail is given back until it has had its attempts (<c>--attempts</c> at submission),
/// then moved to the dead-letter queue with the reason. A lost broker connection is re-established for
/// <see cref="BatchWorkerOptions.ReconnectFor"/>.
/// </summary>
public sealed class BatchWorker(ModelStore store, ModelCatalog catalog, BatchWorkerOptions options)
{
    private const int DefaultAttempts = 3;
    private readonly Stopwatch _clock = new();
    private readonly Dictionary<(string Model, BatchTask Task), BatchInference> _inference = [];
    private long _done;
    private long _dead;
    private long _requeued;

    /// <summary>Where this worker writes its results.</summary>
    public string ResultsPath => Path.Combine(options.OutputFolder, $"worker-{options.WorkerId}.jsonl");

    /// <summary>Works until cancelled, or (with <see cref="BatchWorkerOptions.UntilEmpty"/>) until the queue is empty.</summary>
    /// <exception cref="BatchException">The broker is unreachable at the start or for longer than the reconnect window, the job
    /// is unknown, or the results cannot be written (nothing unwritten is acknowledged).</exception>
    public async Task<BatchWorkerProgress> RunAsync(string broker, IProgress<BatchWorkerProgress>? progress = null, CancellationToken ct = default)
    {
        BatchQueues.CheckJob(options.Job);
        if (string.IsNullOrEmpty(options.WorkerId) || options.WorkerId.Length > 100
            || !options.WorkerId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new ZooUsageException($"BatchWorkerOptions.WorkerId must be 1 to 100 characters of letters, digits, '.', '_' or '-' (it names the results file); got '{options.WorkerId}'.");
        }
        if (options.Prefetch is < 1 or > ushort.MaxValue)
        {
            throw new ZooUsageException("BatchWorkerOptions.Prefetch must be from 1 to 65535.");
        }
        _clock.Start();
        using var log = BatchResultLog.Open(ResultsPath);
        try
        {
            var connectedOnce = false;
            var lostAt = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    await using var session = await BatchBroker.ConnectAsync(broker, "zoo batch work " + options.WorkerId, ct).ConfigureAwait(false);
                    connectedOnce = true;
                    await RunSessionAsync(session, log, progress, ct).ConfigureAwait(false);
                    return Progress();
                }
                catch (Exception ex) when (connectedOnce && IsConnectionLoss(ex) && !ct.IsCancellationRequested)
                {
                    if (lostAt.Elapsed > options.ReconnectFor + TimeSpan.FromSeconds(1) && ex is BatchException)
                    {
                        throw new BatchException(ZooErrors.BrokerUnreachable,
                            $"lost the broker and could not reconnect within {options.ReconnectFor.TotalSeconds:0} s ({ex.Message.TrimEnd('.')}); start the worker again when the broker is back (unacknowledged work is redelivered).", ex);
                    }
                    if (ex is not BatchException)
                    {
                        lostAt.Restart();
                    }
                    await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            foreach (var inference in _inference.Values)
            {
                inference.Dispose();
            }
            _inference.Clear();
        }
    }

    private static bool IsConnectionLoss(Exception ex) =>
        ex is AlreadyClosedException or OperationInterruptedException or BrokerUnreachableException or ChannelClosedException or IOException
            or BatchException { Code: "broker-unreachable" or "broker-lost" };

    private BatchWorkerProgress Progress() => new(Interlocked.Read(ref _done), Interlocked.Read(ref _dead), Interlocked.Read(ref _requeued), _clock.Elapsed);

    private async Task RunSessionAsync(BatchBroker broker, BatchResultLog log, IProgress<BatchWorkerProgress>? progress, CancellationToken ct)
    {
        var workQueue = BatchQueues.Work(options.Job);
        await broker.PassiveAsync(options.Job, workQueue, ct).ConfigureAwait(false);
        var channel = broker.Channel;
        await channel.BasicQosAsync(0, (ushort)options.Prefetch, false, ct).ConfigureAwait(false);
        var inbox = System.Threading.Channels.Channel.CreateUnbounded<Delivery>(new UnboundedChannelOptions { SingleReader = true });
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, ea) =>
        {
            // The body's memory belongs to the client library only for the duration of this handler.
            var headers = ea.BasicProperties.Headers is { } h ? new Dictionary<string, object?>(h) : null;
            inbox.Writer.TryWrite(new Delivery(ea.DeliveryTag, ea.Body.ToArray(), headers));
            return Task.CompletedTask;
        };
        channel.ChannelShutdownAsync += (_, args) =>
        {
            inbox.Writer.TryComplete(new BatchException(ZooErrors.BrokerLost, $"the broker closed the channel ({args.ReplyText})."));
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(workQueue, autoAck: false, consumer, ct).ConfigureAwait(false);
        var reader = inbox.Reader;
        while (true)
        {
            Delivery first;
            if (options.UntilEmpty)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
                idle.CancelAfter(options.IdleTime);
                try
                {
                    first = await reader.ReadAsync(idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    if (await channel.MessageCountAsync(workQueue, ct).ConfigureAwait(false) == 0)
                    {
                        return;
                    }
                    continue;
                }
            }
            else
            {
                first = await reader.ReadAsync(ct).ConfigureAwait(false);
            }
            var batch = new List<Delivery> { first };
            while (batch.Count < options.Prefetch && reader.TryRead(out var more))
            {
                batch.Add(more);
            }
            await ProcessAsync(broker, log, batch, ct).ConfigureAwait(false);
            progress?.Report(Progress());
        }
    }

    private async Task ProcessAsync(BatchBroker broker, BatchResultLog log, List<Delivery> batch, CancellationToken ct)
    {
        var work = await ParseAsync(broker.Channel, batch, ct).ConfigureAwait(false);
        var (results, errors) = await RunAsync(work, ct).ConfigureAwait(false);

        // Durable first, acknowledgements after.
        var written = 0;
        foreach (var (_, message, inference, _) in work)
        {
            foreach (var item in message.Items)
            {
                if (inference is not null && results.TryGetValue((item.Path, item.Sha256), out var json))
                {
                    log.Append(item, message.Model, message.Task, options.WorkerId, json);
                    written++;
                }
            }
        }
        log.Commit();
        Interlocked.Add(ref _done, written);
        await SettleAsync(broker.Channel, work, errors, ct).ConfigureAwait(false);
    }

    /// <summary>One delivery with its parsed message and the model that runs it, or why it is refused.</summary>
    private sealed record WorkItem(Delivery Delivery, BatchMessage Message, BatchInference? Inference, string? Refused);

    /// <summary>Parses the deliveries (dead-lettering those that are no work message) and finds each one's model.</summary>
    private async Task<List<WorkItem>> ParseAsync(IChannel channel, List<Delivery> batch, CancellationToken ct)
    {
        var work = new List<WorkItem>();
        foreach (var delivery in batch)
        {
            BatchMessage message;
            try
            {
                message = BatchMessage.Parse(delivery.Body);
            }
            catch (BatchException ex)
            {
                await DeadLetterAsync(channel, delivery, ex.Message, ct).ConfigureAwait(false);
                continue;
            }
            try
            {
                work.Add(new WorkItem(delivery, message, await InferenceFor(message, ct).ConfigureAwait(false), null));
            }
            catch (ZooUsageException ex)
            {
                work.Add(new WorkItem(delivery, message, null, ex.Message));
            }
            catch (ModelNotFoundException ex)
            {
                work.Add(new WorkItem(delivery, message, null, ex.Message));
            }
        }
        return work;
    }

    /// <summary>Checks every image against its submitted hash, then runs each model once over its images.</summary>
    private static async Task<(Dictionary<(string Path, string Sha), string> Results, Dictionary<(string Path, string Sha), string> Errors)> RunAsync(
        List<WorkItem> work, CancellationToken ct)
    {
        var errors = new Dictionary<(string Path, string Sha), string>();
        var results = new Dictionary<(string Path, string Sha), string>();
        foreach (var group in work.Where(w => w.Inference is not null).GroupBy(w => w.Inference!))
        {
            var paths = new List<string>();
            foreach (var item in group.SelectMany(w => w.Message.Items).Distinct())
            {
                var problem = CheckItem(item);
                if (problem is null)
                {
                    if (!paths.Contains(item.Path))
                    {
                        paths.Add(item.Path);
                    }
                }
                else
                {
                    errors[(item.Path, item.Sha256)] = problem;
                }
            }
            var byPath = new Dictionary<string, (string? Json, ZooException? Error)>(StringComparer.Ordinal);
            await foreach (var (path, json, error) in group.Key.RunAsync(paths, ct).ConfigureAwait(false))
            {
                byPath[path] = (json, error);
            }
            foreach (var item in group.SelectMany(w => w.Message.Items).Distinct().Where(i => !errors.ContainsKey((i.Path, i.Sha256))))
            {
                var (json, error) = byPath.TryGetValue(item.Path, out var r) ? r : (null, null);
                if (json is not null)
                {
                    results[(item.Path, item.Sha256)] = json;
                }
                else
                {
                    errors[(item.Path, item.Sha256)] = error is null ? "no result" : $"{error.Code}: {error.Message}";
                }
            }
        }
        return (results, errors);
    }

    /// <summary>Acknowledges each fully written delivery; requeues or dead-letters the others.</summary>
    private async Task SettleAsync(IChannel channel, List<WorkItem> work, Dictionary<(string Path, string Sha), string> errors, CancellationToken ct)
    {
        foreach (var (delivery, message, _, refused) in work)
        {
            var failures = refused is not null
                ? [refused]
                : message.Items.Where(i => errors.ContainsKey((i.Path, i.Sha256))).Select(i => $"{i.Path}: {errors[(i.Path, i.Sha256)]}").ToList();
            if (failures.Count == 0)
            {
                await channel.BasicAckAsync(delivery.Tag, multiple: false, ct).ConfigureAwait(false);
            }
            else if (refused is not null || delivery.Attempt >= delivery.MaxAttempts(DefaultAttempts))
            {
                await DeadLetterAsync(channel, delivery, string.Join("; ", failures), ct).ConfigureAwait(false);
            }
            else
            {
                await channel.BasicNackAsync(delivery.Tag, multiple: false, requeue: true, ct).ConfigureAwait(false);
                Interlocked.Increment(ref _requeued);
            }
        }
    }

    private async Task<BatchInference> InferenceFor(BatchMessage message, CancellationToken ct)
    {
        var task = BatchTasks.Parse(message.Task);
        if (!_inference.TryGetValue((message.Model, task), out var inference))
        {
            var card = catalog.Get(message.Model);
            BatchInference.CheckTask(card, task);
            inference = await BatchInference.OpenAsync(card, task, store, options.Inference, ct).ConfigureAwait(false);
            _inference[(message.Model, task)] = inference;
        }
        return inference;
    }

    /// <summary>Null when the file is there with the bytes it was submitted with; else why not.</summary>
    private static string? CheckItem(BatchItem item)
    {
        try
        {
            var sha = BatchItem.HashFile(item.Path);
            return sha == item.Sha256 ? null : $"input-changed: the file's SHA-256 is {sha[..12]}…, not the {item.Sha256[..Math.Min(12, item.Sha256.Length)]}… it was submitted with; submit it again";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"input-unreadable: {ex.Message.TrimEnd('.')}; make the file readable at this path on every worker";
        }
    }

    private async Task DeadLetterAsync(IChannel channel, Delivery delivery, string reason, CancellationToken ct)
    {
        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = "application/json",
            Headers = new Dictionary<string, object?>
            {
                [BatchQueues.ReasonHeader] = Encoding.UTF8.GetBytes(reason.Length > 2000 ? reason[..2000] : reason),
                ["x-zoo-worker"] = Encoding.UTF8.GetBytes(options.WorkerId),
                ["x-zoo-attempts"] = delivery.Attempt,
            },
        };
        // Confirmed before the original is acknowledged: the message is never in neither queue.
        await channel.BasicPublishAsync("", BatchQueues.Dead(options.Job), mandatory: true, properties, delivery.Body, ct).ConfigureAwait(false);
        await channel.BasicAckAsync(delivery.Tag, multiple: false, ct).ConfigureAwait(false);
        Interlocked.Increment(ref _dead);
    }

    private sealed record Delivery(ulong Tag, byte[] Body, Dictionary<string, object?>? Headers)
    {
        /// <summary>This delivery's attempt, from 1: the broker counts earlier deliveries that came back.</summary>
        public long Attempt => 1 + (Headers?.GetValueOrDefault(BatchQueues.DeliveryCountHeader) switch
        {
            long l => l,
            int i => i,
            _ => 0,
        });

        public long MaxAttempts(int fallback) => Headers?.GetValueOrDefault(BatchQueues.MaxAttemptsHeader) switch
        {
            long l => l,
            int i => i,
            _ => fallback,
        };
    }
}
