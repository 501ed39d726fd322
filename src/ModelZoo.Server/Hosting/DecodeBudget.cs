namespace ModelZoo.Server.Hosting;

/// <summary>
/// Bounds the pixel memory of the images being decoded and predicted at once. A request charges what its image's
/// decode will hold (<see cref="ModelZoo.Imaging.ImageDecoder.Measure"/>) before decoding and gives it back when it
/// ends; one that does not fit waits, first come first served, and is refused with 503 and <c>Retry-After</c> when
/// its wait runs out. Thread-safe.
/// </summary>
internal sealed class DecodeBudget(long budgetBytes)
{
    private readonly object _gate = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private long _used;

    /// <summary>Bytes charged now.</summary>
    public long UsedBytes
    {
        get
        {
            lock (_gate)
            {
                return _used;
            }
        }
    }

    /// <summary>The most bytes charged at once since the server started.</summary>
    public long PeakBytes { get; private set; }

    /// <summary>The budget.</summary>
    public long BudgetBytes => budgetBytes;

    /// <summary>Charges <paramref name="bytes"/>, waiting at most <paramref name="wait"/> for room.</summary>
    /// <exception cref="ServeException">503 when the image alone is larger than the budget or no room came in time.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled while waiting.</exception>
    public async Task<IDisposable> AcquireAsync(long bytes, TimeSpan wait, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (bytes > budgetBytes)
        {
            throw new ServeException(ZooErrors.DecodeOverBudget,
                $"decoding this image needs about {bytes >> 20} MB, more than the server's decode budget of {budgetBytes >> 20} MB; send a smaller image.",
                TimeSpan.FromSeconds(1));
        }
        Waiter waiter;
        lock (_gate)
        {
            if (_waiters.Count == 0 && _used + bytes <= budgetBytes)
            {
                Charge(bytes);
                return new Lease(this, bytes);
            }
            waiter = new Waiter(bytes);
            waiter.Node = _waiters.AddLast(waiter);
        }
        try
        {
            await waiter.Granted.Task.WaitAsync(wait, ct).ConfigureAwait(false);
            return new Lease(this, bytes);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            lock (_gate)
            {
                if (waiter.Granted.Task.IsCompletedSuccessfully)
                {
                    // Granted just as the wait ended: hand the room on.
                    ReleaseLocked(bytes);
                }
                else
                {
                    _waiters.Remove(waiter.Node!);
                    GrantLocked();
                }
            }
            if (ex is OperationCanceledException)
            {
                throw;
            }
            throw new ServeException(ZooErrors.DecodeBusy,
                $"the server is decoding other large images and this one ({bytes >> 20} MB) found no room within {wait.TotalSeconds:0} s; retry after the Retry-After delay.",
                TimeSpan.FromSeconds(2), ex);
        }
    }

    private void Charge(long bytes)
    {
        _used += bytes;
        PeakBytes = Math.Max(PeakBytes, _used);
    }

    private void Release(long bytes)
    {
        lock (_gate)
        {
            ReleaseLocked(bytes);
        }
    }

    private void ReleaseLocked(long bytes)
    {
        _used -= bytes;
        GrantLocked();
    }

    /// <summary>Grants waiters in arrival order while the first one fits. Caller holds the lock.</summary>
    private void GrantLocked()
    {
        while (_waiters.First is { } first && _used + first.Value.Bytes <= budgetBytes)
        {
            _waiters.RemoveFirst();
            Charge(first.Value.Bytes);
            first.Value.Granted.TrySetResult();
        }
    }

    private sealed class Waiter(long bytes)
    {
        public long Bytes { get; } = bytes;
        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public LinkedListNode<Waiter>? Node { get; set; }
    }

    private sealed class Lease(DecodeBudget budget, long bytes) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                budget.Release(bytes);
            }
        }
    }
}
