using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace ModelZoo.Batch;

/// <summary>
/// A connection to the RabbitMQ broker that carries batch jobs (AMQP 0-9-1, <c>amqp://user:pass@host:port/vhost</c>).
/// This is the only place outside the store that opens a network connection: the broker address is the user's, given
/// on the command line. Publishing waits for the broker's confirmation, so a submitted message is on disk at the broker.
/// </summary>
public sealed class BatchBroker : IAsyncDisposable
{
    private const int PublishWindow = 256;
    private readonly IConnection _connection;

    private BatchBroker(IConnection connection, IChannel channel, string endpoint)
    {
        _connection = connection;
        Channel = channel;
        Endpoint = endpoint;
    }

    /// <summary>host:port of the broker (no credentials), for messages.</summary>
    public string Endpoint { get; }

    internal IChannel Channel { get; }

    /// <summary>Connects, with publisher confirmations on.</summary>
    /// <exception cref="ZooUsageException">The address is not an amqp:// URI.</exception>
    /// <exception cref="BatchException"><c>broker-unreachable</c> when no broker answers there.</exception>
    public static async Task<BatchBroker> ConnectAsync(string broker, string clientName, CancellationToken ct = default)
    {
        if (!Uri.TryCreate(broker, UriKind.Absolute, out var uri) || (uri.Scheme != "amqp" && uri.Scheme != "amqps"))
        {
            throw new ZooUsageException($"BatchBroker.ConnectAsync broker must be an AMQP address such as amqp://guest:guest@127.0.0.1:5672/, got '{Redact(broker)}'.");
        }
        var endpoint = $"{uri.Host}:{(uri.IsDefaultPort || uri.Port < 0 ? (uri.Scheme == "amqps" ? 5671 : 5672) : uri.Port)}";
        var factory = new ConnectionFactory
        {
            Uri = uri,
            ClientProvidedName = clientName,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(10),
            // The worker reconnects itself: redelivered messages after a reconnect need fresh delivery tags anyway.
            AutomaticRecoveryEnabled = false,
        };
        IConnection connection;
        try
        {
            connection = await factory.CreateConnectionAsync(ct).ConfigureAwait(false);
        }
        catch (BrokerUnreachableException ex)
        {
            Exception inner = ex;
            while (inner.InnerException is { } next)
            {
                inner = next;
            }
            var reason = inner.Message;
            throw new BatchException(ZooErrors.BrokerUnreachable,
                $"cannot reach the RabbitMQ broker at {endpoint} ({reason.TrimEnd('.')}); start it or fix BatchBroker.ConnectAsync broker, then run the command again.", ex);
        }
        try
        {
            var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true,
                publisherConfirmationTrackingEnabled: true), ct).ConfigureAwait(false);
            return new BatchBroker(connection, channel, endpoint);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Declares a job's queues (idempotent). The work queue dead-letters into the job's dead queue once a
    /// message has been returned <paramref name="attempts"/> times, e.g. by workers that died on it.</summary>
    public async Task DeclareAsync(string job, int attempts, CancellationToken ct = default)
    {
        await Channel.QueueDeclareAsync(BatchQueues.Dead(job), durable: true, exclusive: false, autoDelete: false, arguments: null,
            cancellationToken: ct).ConfigureAwait(false);
        var arguments = new Dictionary<string, object?>
        {
            ["x-queue-type"] = "quorum",
            ["x-delivery-limit"] = attempts,
            ["x-dead-letter-exchange"] = "",
            ["x-dead-letter-routing-key"] = BatchQueues.Dead(job),
        };
        try
        {
            await Channel.QueueDeclareAsync(BatchQueues.Work(job), durable: true, exclusive: false, autoDelete: false, arguments: arguments,
                cancellationToken: ct).ConfigureAwait(false);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 406)
        {
            throw new BatchException(ZooErrors.BatchJobMismatch,
                $"job queue {BatchQueues.Work(job)} already exists with other settings (another BatchBroker.SubmitAsync attempts?); submit with the same settings or use a new BatchBroker.SubmitAsync job.", ex);
        }
    }

    /// <summary>Publishes work messages, persistent and confirmed, one per group of <paramref name="groupSize"/> images.</summary>
    /// <returns>The number of messages published.</returns>
    public async Task<int> SubmitAsync(string job, string model, BatchTask task, IReadOnlyList<BatchItem> items, int groupSize, int attempts,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (groupSize < 1 || attempts < 1)
        {
            throw new ZooUsageException("BatchBroker.SubmitAsync groupSize and BatchBroker.SubmitAsync attempts must be at least 1.");
        }
        await DeclareAsync(job, attempts, ct).ConfigureAwait(false);
        var messages = 0;
        // Confirms are awaited in windows: one round trip (and one broker fsync) per message would dominate a large job.
        var inFlight = new List<Task>(PublishWindow);
        foreach (var chunk in items.Chunk(groupSize))
        {
            var body = new BatchMessage(job, model, task.Name(), chunk).ToBytes();
            var properties = new BasicProperties
            {
                Persistent = true,
                ContentType = "application/json",
                MessageId = chunk[0].Sha256,
                Headers = new Dictionary<string, object?> { [BatchQueues.MaxAttemptsHeader] = attempts },
            };
            inFlight.Add(Channel.BasicPublishAsync("", BatchQueues.Work(job), mandatory: true, properties, body, ct).AsTask());
            messages++;
            if (inFlight.Count == PublishWindow)
            {
                await Task.WhenAll(inFlight).ConfigureAwait(false);
                inFlight.Clear();
            }
        }
        await Task.WhenAll(inFlight).ConfigureAwait(false);
        return messages;
    }

    /// <summary>Ready messages in a job's work queue and in its dead-letter queue, and the work queue's consumers.</summary>
    /// <exception cref="BatchException"><c>batch-job-unknown</c> when the job has no queue on this broker.</exception>
    public async Task<(long Pending, long Failed, long Consumers)> CountsAsync(string job, CancellationToken ct = default)
    {
        var work = await PassiveAsync(job, BatchQueues.Work(job), ct).ConfigureAwait(false);
        var dead = await Channel.QueueDeclarePassiveAsync(BatchQueues.Dead(job), ct).ConfigureAwait(false);
        return (work.MessageCount, dead.MessageCount, work.ConsumerCount);
    }

    /// <summary>Reads (and leaves in place) the dead-lettered messages of a job: their images and reasons.</summary>
    public async Task<IReadOnlyList<(BatchMessage? Message, string Reason)>> PeekDeadAsync(string job, int max, CancellationToken ct = default)
    {
        var dead = new List<(BatchMessage?, string)>();
        var tags = new List<ulong>();
        for (var i = 0; i < max; i++)
        {
            var got = await Channel.BasicGetAsync(BatchQueues.Dead(job), autoAck: false, ct).ConfigureAwait(false);
            if (got is null)
            {
                break;
            }
            tags.Add(got.DeliveryTag);
            BatchMessage? message = null;
            try
            {
                message = BatchMessage.Parse(got.Body.Span);
            }
            catch (BatchException)
            {
                // Listed with its reason all the same.
            }
            dead.Add((message, ReasonOf(got.BasicProperties.Headers)));
        }
        foreach (var tag in tags)
        {
            await Channel.BasicNackAsync(tag, multiple: false, requeue: true, ct).ConfigureAwait(false);
        }
        return dead;
    }

    /// <summary>Why a dead-lettered message is there: the worker's <c>x-zoo-reason</c>, else the broker's own reason.</summary>
    internal static string ReasonOf(IDictionary<string, object?>? headers)
    {
        if (headers is null)
        {
            return "unknown";
        }
        if (headers.TryGetValue(BatchQueues.ReasonHeader, out var reason) && reason is byte[] text)
        {
            return Encoding.UTF8.GetString(text);
        }
        if (headers.TryGetValue("x-death", out var death) && death is IList<object?> { Count: > 0 } deaths
            && deaths[0] is IDictionary<string, object?> first && first.TryGetValue("reason", out var why) && why is byte[] whyText)
        {
            // delivery_limit: the workers that took it kept dying or giving it back.
            return "broker: " + Encoding.UTF8.GetString(whyText);
        }
        return "unknown";
    }

    internal async Task<QueueDeclareOk> PassiveAsync(string job, string queue, CancellationToken ct)
    {
        try
        {
            return await Channel.QueueDeclarePassiveAsync(queue, ct).ConfigureAwait(false);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            throw new BatchException(ZooErrors.BatchJobUnknown, $"the broker at {Endpoint} has no job '{job}'; submit it first with BatchBroker.SubmitAsync.", ex);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await Channel.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal static string Redact(string broker) =>
        Uri.TryCreate(broker, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0 ? broker.Replace(uri.UserInfo + "@", "***@", StringComparison.Ordinal) : broker;
}
