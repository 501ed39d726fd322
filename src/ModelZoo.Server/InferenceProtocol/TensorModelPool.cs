using Microsoft.Extensions.Logging;
using ModelZoo.Catalog;
using ModelZoo.Import;
using ModelZoo.Runtime;
using ModelZoo.Server.Hosting;
using ModelZoo.Store;

namespace ModelZoo.Server.InferenceProtocol;

/// <summary>
/// Loads models for tensor-level inference on first use and keeps them within the server's memory budget, as
/// <see cref="ModelPool"/> does for task pipelines: charged twice their files' size, least recently used idle models
/// evicted first, the <c>--models</c> handles never evicted, concurrent requests sharing one load. Tensor sessions are
/// charged against a budget of their own (the same size as the task pool's), so a server that answers both kinds of
/// request for a model holds it twice. Thread-safe.
/// </summary>
internal sealed class TensorModelPool : IAsyncDisposable
{
    private readonly ZooServerOptions _options;
    private readonly ModelStore _store;
    private readonly ServerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pinned;
    private readonly HashSet<string> _allowed;
    private bool _disposed;

    public TensorModelPool(ZooServerOptions options, ModelStore store, ServerMetrics metrics, ILogger<TensorModelPool> logger)
    {
        _options = options;
        _store = store;
        _metrics = metrics;
        _logger = logger;
        _pinned = new HashSet<string>(options.Models, StringComparer.Ordinal);
        _allowed = new HashSet<string>(options.ConfiguredModels(), StringComparer.Ordinal);
    }

    /// <summary>Whether a model is loaded now (its session open).</summary>
    public bool IsLoaded(string handle)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(handle, out var entry) && entry.Loading.IsCompletedSuccessfully;
        }
    }

    /// <summary>Whether a model is being loaded now.</summary>
    public bool IsLoading(string handle)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(handle, out var entry) && !entry.Loading.IsCompleted;
        }
    }

    /// <summary>Borrows a card's tensor model, loading it (and pulling it into the store when online) on first use.</summary>
    /// <exception cref="ServeException">The model is not one the server serves (403), is larger than the whole budget (507)
    /// or could not be loaded (503).</exception>
    public async Task<TensorLease> AcquireAsync(ModelCard card, CancellationToken ct)
    {
        // The same exposure rule as the task endpoints: an anonymous client must not make the server download models.
        if (!_options.AllowPull && !_allowed.Contains(card.Handle))
        {
            throw ServeException.NotAllowed(card.Handle, _allowed);
        }
        Entry entry;
        List<Entry> evicted = [];
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_entries.TryGetValue(card.Handle, out entry!) || entry.Loading.IsFaulted || entry.Loading.IsCanceled)
            {
                var estimate = ModelPool.EstimateBytes(card);
                if (estimate > _options.MemoryBudgetBytes && !_pinned.Contains(card.Handle))
                {
                    throw new ServeException(507, "model-over-budget",
                        $"'{card.Handle}' needs about {estimate / (1024 * 1024)} MB, more than the whole memory budget of {_options.MemoryBudgetBytes / (1024 * 1024)} MB; raise --memory-budget-mb.");
                }
                evicted = MakeRoom(estimate);
                entry = new Entry(card, estimate);
                _entries[card.Handle] = entry;
                entry.Loading = Task.Run(() => LoadAsync(card, estimate));
            }
            entry.Leases++;
            entry.LastUsed = Environment.TickCount64;
        }
        foreach (var old in evicted)
        {
            _ = DisposeEvictedAsync(old);
        }
        try
        {
            var model = await entry.Loading.WaitAsync(ct).ConfigureAwait(false);
            return new TensorLease(model, () => Release(entry));
        }
        catch (Exception ex)
        {
            Release(entry);
            if (ex is OperationCanceledException or ServeException)
            {
                throw;
            }
            throw new ServeException(503, "model-load-failed", $"'{card.Handle}' could not be loaded: {ex.Message}", TimeSpan.FromSeconds(5), ex);
        }
    }

    private async Task<TensorModel> LoadAsync(ModelCard card, long estimate)
    {
        _logger.LogInformation("loading {Handle} for tensor inference (about {Megabytes} MB)", card.Handle, estimate / (1024 * 1024));
        var local = await _store.OpenAsync(card).ConfigureAwait(false);
        var session = ModelSession.Open(ImportedModelCache.RunnableModelPath(local), _options.Session);
        _metrics.CountLoad(card.Handle);
        return new TensorModel(card, session, estimate, _options, _metrics);
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

    public async ValueTask DisposeAsync()
    {
        List<Entry> entries;
        lock (_gate)
        {
            _disposed = true;
            entries = [.. _entries.Values];
            _entries.Clear();
        }
        foreach (var entry in entries)
        {
            try
            {
                await (await entry.Loading.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
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
        public Task<TensorModel> Loading { get; set; } = null!;
        public int Leases { get; set; }
        public long LastUsed { get; set; }
    }
}
