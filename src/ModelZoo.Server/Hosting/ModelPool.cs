using Microsoft.Extensions.Logging;
using ModelZoo.Import;
using ModelZoo.Server.InferenceProtocol;

namespace ModelZoo.Server.Hosting;

/// <summary>
/// Loads served models on first use and keeps them within one memory budget: the task pipelines of the native and
/// cloud APIs and the models the Open Inference Protocol runs as plain tensors are charged to the same
/// <see cref="ZooServerOptions.MemoryBudgetBytes"/>. A model is charged twice the size of its files; when a new model
/// does not fit, the least recently used models that no request holds (and that were not preloaded with
/// <see cref="ZooServerOptions.Models"/>) are evicted first, of either kind. Concurrent requests for a model that is
/// loading share the one load. Thread-safe.
/// </summary>
public sealed class ModelPool : IAsyncDisposable
{
    private readonly ZooServerOptions _options;
    private readonly ModelStore _store;
    private readonly ModelCatalog _catalog;
    private readonly TaskEndpointRegistry _tasks;
    private readonly ServerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    // One table per kind so that each hands back its own model type; both share the budget and the eviction order.
    private readonly Dictionary<string, Entry<ServedModel>> _served = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Entry<TensorModel>> _tensors = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pinned;
    private readonly HashSet<string> _allowed;
    // Cancelled when the host begins to stop (or the pool is disposed): stops downloads and loads clients started.
    private readonly CancellationTokenSource _stopping;
    private bool _disposed;

    /// <summary>How long disposal waits for a cancelled load to unwind before it gives up on it.</summary>
    private static readonly TimeSpan LoadUnwindTimeout = TimeSpan.FromSeconds(5);

    internal ModelPool(ZooServerOptions options, ModelStore store, ModelCatalog catalog, TaskEndpointRegistry tasks, ServerMetrics metrics,
        ILogger<ModelPool> logger, CancellationToken hostStopping = default)
    {
        _stopping = CancellationTokenSource.CreateLinkedTokenSource(hostStopping);
        _allowed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in options.ConfiguredModels())
        {
            _allowed.Add(catalog.TryGet(handle, out _) ? handle : TryTextDetector(catalog, handle) ?? handle);
        }
        _options = options;
        _store = store;
        _catalog = catalog;
        _tasks = tasks;
        _metrics = metrics;
        _logger = logger;
        _pinned = new HashSet<string>(options.Models, StringComparer.Ordinal);
        metrics.SetQueueDepthSource(QueueDepths);
    }

    /// <summary>The detector card of an OCR pipeline prefix, or null when the handle names none.</summary>
    private static string? TryTextDetector(ModelCatalog catalog, string handle)
    {
        try
        {
            return ModelZoo.Tasks.Ocr.TextSpotterModels.Resolve(catalog, handle).Detector.Handle;
        }
        catch (ZooException)
        {
            return null;
        }
    }

    /// <summary>Whether clients may load <paramref name="handle"/>: pulls are allowed, or it is one of the configured models.</summary>
    public bool IsAllowed(string handle) => _options.AllowPull || _allowed.Contains(handle);

    /// <summary>Handles of the task pipelines loaded now.</summary>
    public IReadOnlyList<string> Loaded
    {
        get
        {
            lock (_gate)
            {
                return _served.Values.Where(e => e.Loading.IsCompletedSuccessfully).Select(e => e.Card.Handle).Order(StringComparer.Ordinal).ToList();
            }
        }
    }

    /// <summary>Sum of the loaded and loading models' estimated sizes, pipelines and tensor models together.</summary>
    public long ChargedBytes
    {
        get
        {
            lock (_gate)
            {
                return Entries().Sum(e => e.Estimate);
            }
        }
    }

    /// <summary>Whether a model's tensor session is open now.</summary>
    internal bool IsTensorLoaded(string handle)
    {
        lock (_gate)
        {
            return _tensors.TryGetValue(handle, out var entry) && entry.Loading.IsCompletedSuccessfully;
        }
    }

    /// <summary>Whether a model's tensor session is being opened now.</summary>
    internal bool IsTensorLoading(string handle)
    {
        lock (_gate)
        {
            return _tensors.TryGetValue(handle, out var entry) && !entry.Loading.IsCompleted;
        }
    }

    /// <summary>What the pool charges for a model: twice the size of its files.</summary>
    public static long EstimateBytes(ModelCard card) => 2 * Math.Max(card.TotalSize, 1);

    /// <summary>What the pool charges for a model and the companion models its adapter loads with it.</summary>
    public static long EstimateBytes(ModelCard card, IReadOnlyList<ModelCard> companions)
    {
        ArgumentNullException.ThrowIfNull(companions);
        return 2 * Math.Max(card.TotalSize + companions.Sum(c => c.TotalSize), 1);
    }

    /// <summary>
    /// Borrows the task pipeline of <paramref name="card"/>, loading it (and pulling it into the store if needed) on first use.
    /// <paramref name="ct"/> stops the wait, not a load other requests may share.
    /// </summary>
    /// <exception cref="ServeException">No adapter serves the card's task (400), the model is not one the server serves
    /// (403), is larger than the whole budget (507), or loading failed (503).</exception>
    public async Task<ModelLease> AcquireAsync(ModelCard card, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(card);
        var endpoint = _tasks.Find(card.Task) ?? throw new ServeException(ZooErrors.ModelNotServable,
            $"'{card.Handle}' is a {TaskName(card.Task)} model and this server has no adapter for that task; serve one of: {string.Join(", ", _tasks.Tasks.Select(TaskName))}.");
        RequireServable(card);
        var companions = endpoint.Companions(card, _catalog);
        var estimate = EstimateBytes(card, companions);
        var (model, release) = await AcquireAsync(_served, card, estimate, token => LoadServedAsync(card, companions, endpoint, estimate, token), ct)
            .ConfigureAwait(false);
        return new ModelLease(model, release);
    }

    /// <summary>Borrows a card's model opened as it is for tensor inference, loading it on first use.</summary>
    /// <exception cref="ServeException">The model is not one the server serves (403), is larger than the whole budget (507)
    /// or could not be loaded (503).</exception>
    internal async Task<TensorLease> AcquireTensorAsync(ModelCard card, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(card);
        // The same exposure rule as the task endpoints: an anonymous client must not make the server download models.
        RequireServable(card);
        var estimate = EstimateBytes(card);
        var (model, release) = await AcquireAsync(_tensors, card, estimate, token => LoadTensorAsync(card, estimate, token), ct).ConfigureAwait(false);
        return new TensorLease(model, release);
    }

    private void RequireServable(ModelCard card)
    {
        if (!IsAllowed(card.Handle))
        {
            throw ServeException.NotAllowed(card.Handle, _allowed);
        }
        if (_stopping.IsCancellationRequested)
        {
            throw ServeException.ShuttingDown(card.Handle);
        }
    }

    /// <summary>Loads and warms the preloaded models of <see cref="ZooServerOptions.Models"/>.</summary>
    internal async Task WarmAsync(ModelCard card, CancellationToken ct)
    {
        using var lease = await AcquireAsync(card, ct).ConfigureAwait(false);
        await lease.Model.WarmAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Finds or starts the load of a model of one kind and waits for it; the caller wraps the model in its lease.</summary>
    private async Task<(TModel Model, Action Release)> AcquireAsync<TModel>(Dictionary<string, Entry<TModel>> table, ModelCard card, long estimate,
        Func<CancellationToken, Task<TModel>> load, CancellationToken ct)
        where TModel : class, IPooledModel
    {
        Entry<TModel> entry;
        List<Entry> evicted = [];
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!table.TryGetValue(card.Handle, out entry!) || entry.Loading.IsFaulted || entry.Loading.IsCanceled)
            {
                if (estimate > _options.MemoryBudgetBytes && !_pinned.Contains(card.Handle))
                {
                    throw new ServeException(ZooErrors.ModelOverBudget,
                        $"'{card.Handle}' needs about {estimate / (1024 * 1024)} MB, more than the whole memory budget of {_options.MemoryBudgetBytes / (1024 * 1024)} MB; raise ZooServerOptions.MemoryBudgetBytes.");
                }
                evicted = MakeRoom(estimate);
                entry = new Entry<TModel>(table, card, estimate);
                table[card.Handle] = entry;
                entry.Loading = Task.Run(() => load(_stopping.Token));
            }
            entry.Leases++;
            entry.LastUsed = Environment.TickCount64;
        }
        foreach (var old in evicted)
        {
            _ = old.DisposeModelAsync();
        }
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct, _stopping.Token);
        try
        {
            var model = await entry.Loading.WaitAsync(wait.Token).ConfigureAwait(false);
            return (model, () => Release(entry));
        }
        catch (Exception ex)
        {
            Release(entry);
            throw LoadFailure(card, ex, ct);
        }
    }

    /// <summary>What a client waiting for a load that failed (or was cancelled) is told.</summary>
    private Exception LoadFailure(ModelCard card, Exception ex, CancellationToken ct)
    {
        if (_stopping.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return ServeException.ShuttingDown(card.Handle);
        }
        if (ex is OperationCanceledException || ex is ServeException)
        {
            return ex;
        }
        // The library's own code (a read-only store, a corrupt file …) tells the client what went wrong.
        return ServeException.LoadFailed(card.Handle, ex);
    }

    private Task<ServedModel> LoadServedAsync(ModelCard card, IReadOnlyList<ModelCard> companions, ITaskEndpoint endpoint, long estimate,
        CancellationToken ct) => LoggedLoadAsync(card, $"{TaskName(card.Task)}, about {estimate / (1024 * 1024)} MB", async () =>
    {
        var local = await _store.OpenAsync(card, null, ct).ConfigureAwait(false);
        var companionModels = new List<LocalModel>(companions.Count);
        foreach (var companion in companions)
        {
            _logger.LogInformation("loading {Companion} with {Handle}", companion.Handle, card.Handle);
            companionModels.Add(await _store.OpenAsync(companion, null, ct).ConfigureAwait(false));
        }
        ct.ThrowIfCancellationRequested();
        var runner = endpoint.Open(local, companionModels, _options.Session);
        _metrics.CountLoad(card.Handle);
        return runner.Serve(endpoint, estimate, _options, _metrics);
    }, ct);

    private Task<TensorModel> LoadTensorAsync(ModelCard card, long estimate, CancellationToken ct) =>
        LoggedLoadAsync(card, $"tensor inference, about {estimate / (1024 * 1024)} MB", async () =>
        {
            var local = await _store.OpenAsync(card, null, ct).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            var session = ModelSession.Open(ImportedModelCache.RunnableModelPath(local), _options.Session);
            _metrics.CountLoad(card.Handle);
            return new TensorModel(card, session, _options, _metrics);
        }, ct);

    private async Task<TModel> LoggedLoadAsync<TModel>(ModelCard card, string what, Func<Task<TModel>> load, CancellationToken ct)
    {
        _logger.LogInformation("loading {Handle} ({What})", card.Handle, what);
        try
        {
            return await load().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _logger.LogInformation("loading {Handle} cancelled: the server is stopping", card.Handle);
            throw;
        }
        catch (Exception ex)
        {
            // One line: the clients waiting for the model get the reason in their answers.
            _logger.LogError("loading {Handle} failed: {Message}", card.Handle, ex.Message);
            throw;
        }
    }

    private IEnumerable<Entry> Entries() => _served.Values.Concat<Entry>(_tensors.Values);

    /// <summary>Evicts idle, unpinned models of either kind, least recently used first, until <paramref name="needed"/> more
    /// bytes fit. Caller holds the lock.</summary>
    private List<Entry> MakeRoom(long needed)
    {
        var evicted = new List<Entry>();
        var used = Entries().Sum(e => e.Estimate);
        foreach (var candidate in Entries()
                     .Where(e => e.Leases == 0 && !_pinned.Contains(e.Card.Handle) && e.Completion.IsCompleted)
                     .OrderBy(e => e.LastUsed).ToList())
        {
            if (used + needed <= _options.MemoryBudgetBytes)
            {
                break;
            }
            candidate.Forget();
            used -= candidate.Estimate;
            evicted.Add(candidate);
            _metrics.CountEviction(candidate.Card.Handle);
            _logger.LogInformation("evicting {Handle} to stay within the memory budget", candidate.Card.Handle);
        }
        if (used + needed > _options.MemoryBudgetBytes)
        {
            _logger.LogWarning("loading past the memory budget: {Used} MB in use by busy or preloaded models", used / (1024 * 1024));
        }
        return evicted;
    }

    private void Release(Entry entry)
    {
        lock (_gate)
        {
            entry.Leases--;
            entry.LastUsed = Environment.TickCount64;
        }
    }

    private IReadOnlyDictionary<string, int> QueueDepths()
    {
        lock (_gate)
        {
            return Entries().Select(e => e.Model).OfType<IPooledModel>()
                .GroupBy(m => m.Card.Handle, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Sum(m => m.QueueDepth), StringComparer.Ordinal);
        }
    }

    internal static string TaskName(ModelTask task) => System.Text.Json.JsonSerializer.Serialize(task).Trim('"');

    /// <summary>Finishes queued requests of every model and releases them.</summary>
    public async ValueTask DisposeAsync()
    {
        List<Entry> entries;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            entries = [.. Entries()];
            _served.Clear();
            _tensors.Clear();
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var entry in entries)
        {
            try
            {
                // A load stuck in something that ignores cancellation must not keep the process alive.
                await entry.Completion.WaitAsync(LoadUnwindTimeout).ConfigureAwait(false);
                await entry.DisposeModelAsync().ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _logger.LogWarning("{Handle} was still loading {Seconds} s after the server stopped; leaving it behind", entry.Card.Handle,
                    LoadUnwindTimeout.TotalSeconds);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A model that failed to load has nothing to release.
            }
        }
    }

    /// <summary>A model of either kind as the budget and the eviction order see it.</summary>
    private abstract class Entry(ModelCard card, long estimate)
    {
        public ModelCard Card { get; } = card;
        public long Estimate { get; } = estimate;
        public int Leases { get; set; }
        public long LastUsed { get; set; }

        /// <summary>The load, whatever the model's type.</summary>
        public abstract Task Completion { get; }

        /// <summary>The loaded model, or null while loading or after a failed load.</summary>
        public abstract IPooledModel? Model { get; }

        /// <summary>Removes the entry from its kind's table. Caller holds the lock.</summary>
        public abstract void Forget();

        public async Task DisposeModelAsync()
        {
            if (Model is { } model)
            {
                await model.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private sealed class Entry<TModel>(Dictionary<string, Entry<TModel>> table, ModelCard card, long estimate) : Entry(card, estimate)
        where TModel : class, IPooledModel
    {
        public Task<TModel> Loading { get; set; } = null!;

        public override Task Completion => Loading;

        public override IPooledModel? Model => Loading.IsCompletedSuccessfully ? Loading.Result : null;

        public override void Forget() => table.Remove(Card.Handle);
    }
}
