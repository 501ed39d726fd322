using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ModelZoo.Server.Hosting;

/// <summary>
/// Loads and warms <see cref="ZooServerOptions.Models"/> in the background once the host has started, and reports
/// readiness for <c>/readyz</c>: ready when every preloaded model answered its warm-up prediction.
/// </summary>
public sealed class ModelWarmup : BackgroundService
{
    private readonly ModelPool _pool;
    private readonly ModelCatalog _catalog;
    private readonly ZooServerOptions _options;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string? _failure;

    internal ModelWarmup(ModelPool pool, ModelCatalog catalog, ZooServerOptions options, ILogger<ModelWarmup> logger)
    {
        _pool = pool;
        _catalog = catalog;
        _options = options;
        _logger = logger;
    }

    /// <summary>True once every preloaded model is loaded and warmed.</summary>
    public bool IsReady => _ready.Task.IsCompletedSuccessfully;

    /// <summary>Why warm-up failed, if it did.</summary>
    public string? Failure => _failure;

    /// <summary>Completes when every preloaded model is ready; faults if one failed.</summary>
    public Task Ready => _ready.Task;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            foreach (var handle in _options.Models)
            {
                var started = DateTime.UtcNow;
                await _pool.WarmAsync(_catalog.Get(handle), stoppingToken).ConfigureAwait(false);
                _logger.LogInformation("{Handle} ready in {Seconds:0.0} s", handle, (DateTime.UtcNow - started).TotalSeconds);
            }
            _ready.TrySetResult();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _ready.TrySetCanceled(stoppingToken);
        }
        catch (Exception ex)
        {
            _failure = ex.Message;
            _logger.LogError(ex, "preloading models failed: {Message}", ex.Message);
            _ready.TrySetException(ex);
        }
    }
}
