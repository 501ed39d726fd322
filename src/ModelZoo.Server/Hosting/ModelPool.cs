using Microsoft.Extensions.Logging;
using ModelZoo.Catalog;
using ModelZoo.Server.Adapters;
using ModelZoo.Store;

namespace ModelZoo.Server.Hosting;

/// <summary>
/// Loads served models on first use and keeps them within a memory budget. A model is charged twice the size of
/// its files; when a new model does not fit, the least recently used models that no request holds (and that were
/// not preloaded with <see cref="ZooServerOptions.Models"/>) are evicted first. Concurrent requests for a model that
/// is loading share the one load. Thread-safe.
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
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
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

    /// <summary>Handles of the models loaded now.</summary>
    public IReadOnlyList<string> Loaded
    {
        get
        {
            lock (_gate)
            {
                return _entries.Values.Where(e => e.Loading.IsCompletedSuccessfully).Select(e => e.Card.Handle).Order(StringComparer.Ordinal).ToList();
            }
        }
    }

    /// <summary>Sum of the loaded and loading models' estimated sizes.</summary>
    public long ChargedBytes
    {
        get
        {
            lock (_gate)
            {
                return _entries.Values.Sum(e => e.Estimate);
            }
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
    /// Borrows the model of <paramref name="card"/>, loading it (and pulling it into the store if needed) on first use.
    /// <paramref name="ct"/> stops the wait, not a load other requests may share.
    /// </summary>
    /// <exception cref="ServeException">No adapter serves the card's task (400), the model is larger than the whole
    /// budget (507), or loading failed (503).</exception>
    public async Task<ModelLease> AcquireAsync(ModelCard card, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(card);
        var endpoint = _tasks.Find(card.Task) ?? throw new ServeException(400, "model-not-servable",
            $"'{card.Handle}' is a {TaskName(card.Task)} model and this server has no adapter for that task; serve one of: {string.Join(", ", _tasks.Tasks.Select(TaskName))}.");
        if (!IsAllowed(card.Handle))
        {
            throw ServeException.NotAllowed(card.Handle, _allowed);
        }
        if (_stopping.IsCancellationRequested)
        {
            throw ServeException.ShuttingDown(card.Handle);
        }
        var companions = endpoint.Companions(card, _catalog);
        Entry entry;
        List<Entry> evicted = [];
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_entries.TryGetValue(card.Handle, out entry!) || entry.Loading.IsFaulted || entry.Loading.IsCanceled)
            {
                var estimate = EstimateBytes(card, companions);
                if (estimate > _options.MemoryBudgetBytes && !_pinned.Contains(card.Handle))
                {
                    throw new ServeException(507, "model-over-budget",
                        $"'{card.Handle}' needs about {estimate / (1024 * 1024)} MB, more than the whole memory budget of {_options.MemoryBudgetBytes / (1024 * 1024)} MB; raise --memory-budget-mb.");
                }
                evicted = MakeRoom(estimate);
                entry = new Entry(card, estimate);
                _entries[card.Handle] = entry;
                entry.Loading = Task.Run(() => LoadAsync(card, companions, endpoint, estimate, _stopping.Token));
            }
            entry.Leases++;
            entry.LastUsed = Environment.TickCount64;
        }
        foreach (var old in evicted)
        {
            _ = DisposeEvictedAsync(old);
        }
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct, _stopping.Token);
        try
        {
            var model = await entry.Loading.WaitAsync(wait.Token).ConfigureAwait(false);
            return new ModelLease(model, () => Release(entry));
        }
        catch (Exception ex)
        {
            Release(entry);
            if (_stopping.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                throw ServeException.ShuttingDown(card.Handle);
            }
            if (ex is OperationCanceledException || ex is ServeException)
            {
                throw;
            }
            // The library's own code (a read-only store, a corrupt file …) tells the client what went wrong.
            var code = ex is ZooException zoo ? zoo.Code : "model-load-failed";
            var message = ex is ZooException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
            throw new ServeException(503, code, $"'{card.Handle}' could not be loaded: {message}", TimeSpan.FromSeconds(5), ex);
        }
    }

    /// <summary>Loads (and warms) the preloaded models of <see cref="ZooServerOptions.Models"/>.</summary>
    internal async Task WarmAsync(ModelCard card, CancellationToken ct)
    {
        using var lease = await AcquireAsync(card, ct).ConfigureAwait(false);
        await lease.Model.WarmAsync(ct).ConfigureAwait(false);
    }

    private async Task<ServedModel> LoadAsync(ModelCard card, IReadOnlyList<ModelCard> companions, ITaskEndpoint endpoint, long estimate,
        CancellationToken ct)
    {
        _logger.LogInformation("loading {Handle} ({Task}, about {Megabytes} MB)", card.Handle, TaskName(card.Task), estimate / (1024 * 1024));
        try
        {
            var local = await _store.OpenAsync(card, null, ct).ConfigureAwait(false);
            var companionModels = new List<LocalModel>(companions.Count);
            foreach (var companion in companions)
            {
                _logger.LogInformation("loading {Companion} with {Handle}", companion.Handle, card.Handle);
                companionModels.Add(await _store.OpenAsync(companion, null, ct).ConfigureAwait(false));
            }
            ct.ThrowIfCancellationRequested();
            return Opened(card, endpoint, local, companionModels, estimate);
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

    private ServedModel Opened(ModelCard card, ITaskEndpoint endpoint, LocalModel local, List<LocalModel> companionModels, long estimate)
    {
        var runner = endpoint.Open(local, companionModels, _options.Session);
        _metrics.CountLoad(card.Handle);
        return new ServedModel(endpoint, runner, estimate, _options, _metrics);
    }

    /// <summary>Evicts idle, unpinned models, least recently used first, until <paramref name="needed"/> more bytes fit. Caller holds the lock.</summary>
    private List<Entry> MakeRoom(long needed)
    {
        var evicted = new List<Entry>();
        var used = _entries.Values.Sum(e => e.Estimate);
        foreach (var candidate in _entries.Values
                     .Where(e => e.Leases == 0 && !_pinned.Contains(e.Card.Handle) && e.Loading.IsCompleted)
                     .OrderBy(e => e.LastUsed).ToList())
        {
            if (used + needed <= _options.MemoryBudgetBytes)
            {
                break;
            }
            _entries.Remove(candidate.Card.Handle);
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

    private static async Task DisposeEvictedAsync(Entry entry)
    {
        if (entry.Loading.IsCompletedSuccessfully)
        {
            await entry.Loading.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    private IReadOnlyDictionary<string, int> QueueDepths()
    {
        lock (_gate)
        {
            return _entries.Values.Where(e => e.Loading.IsCompletedSuccessfully)
                .ToDictionary(e => e.Card.Handle, e => e.Loading.Result.QueueDepth, StringComparer.Ordinal);
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
            entries = [.. _entries.Values];
            _entries.Clear();
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var entry in entries)
        {
            try
            {
                // A load stuck in something that ignores cancellation must not keep the process alive.
                var model = await entry.Loading.WaitAsync(LoadUnwindTimeout).ConfigureAwait(false);
                await model.DisposeAsync().ConfigureAwait(false);
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

    private sealed class Entry(ModelCard card, long estimate)
    {
        public ModelCard Card { get; } = card;
        public long Estimate { get; } = estimate;
        public Task<ServedModel> Loading { get; set; } = null!;
        public int Leases { get; set; }
        public long LastUsed { get; set; }
    }
}
