using Microsoft.Extensions.Logging;

namespace ModelZoo.Server.InferenceProtocol;

/// <summary>
/// What the REST and gRPC fronts of the Open Inference Protocol share: v2 names to catalog cards, readiness, model
/// metadata, the repository index and tensor inference under the request deadline.
/// </summary>
/// <remarks>
/// A model is <em>ready</em> when its session is open or its files are in the store (it then loads from disk on the
/// first request, with no network); a model that would have to be downloaded first is not ready.
/// </remarks>
internal sealed class InferenceProtocolService(ModelPool pool, ModelCatalog catalog, ModelStore store, ModelWarmup warmup,
    ZooServerOptions options, ILogger<InferenceProtocolService> logger)
{
    /// <summary>The platform reported for every model: they all run on ONNX Runtime.</summary>
    public const string Platform = "onnxruntime_onnx";

    /// <summary>The server name in server metadata.</summary>
    public const string ServerName = "modelzoo";

    /// <summary>Protocol extensions this server implements.</summary>
    public static readonly IReadOnlyList<string> Extensions = ["binary_tensor_data", "model_repository"];

    public static string ServerVersion { get; } =
        typeof(InferenceProtocolService).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public ZooServerOptions Options => options;

    public bool IsServerReady => warmup.IsReady;

    /// <summary>The card behind a v2 name (and version, when given).</summary>
    /// <exception cref="ServeException">404 for a name that maps to no catalog model or a version it does not have.</exception>
    public ModelCard Resolve(string? name, string? version)
    {
        var handle = V2ModelNames.ToHandle(name);
        if (handle is null || !catalog.TryGet(handle, out var card) || !IsTensorServable(card))
        {
            throw new ServeException(ZooErrors.V2ModelNotFound,
                $"no model named '{name}'; v2 names are catalog handles with '/' written as '{V2ModelNames.Separator}' (list them with POST /v2/repository/index).");
        }
        if (!string.IsNullOrEmpty(version) && version != card.Version)
        {
            throw new ServeException(ZooErrors.V2VersionNotFound,
                $"model '{name}' has version '{card.Version}', not '{version}'; leave the version out or ask for '{card.Version}'.");
        }
        return card;
    }

    public bool IsModelReady(ModelCard card) => pool.IsTensorLoaded(card.Handle) || store.IsCached(card);

    /// <summary>The model's tensors (loading the model when it is not loaded yet).</summary>
    public async Task<(IReadOnlyList<TensorInfo> Inputs, IReadOnlyList<TensorInfo> Outputs)> MetadataAsync(ModelCard card, CancellationToken ct)
    {
        using var deadline = Deadline(ct);
        try
        {
            using var lease = await pool.AcquireTensorAsync(card, deadline.Token).ConfigureAwait(false);
            return (lease.Model.Session.Inputs, lease.Model.Session.Outputs);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            throw Timeout(card, ex);
        }
    }

    /// <summary>Runs tensors through the model as it is, batched with concurrent requests.</summary>
    /// <param name="card">The model.</param>
    /// <param name="inputs">The client's tensors.</param>
    /// <param name="outputs">Output names to return, or empty for all.</param>
    /// <param name="ct">The client's cancellation.</param>
    /// <exception cref="ServeException">400 for tensors the model does not take, 429 when the queue is full, 504 past the deadline.</exception>
    public async Task<IReadOnlyList<NamedTensor>> InferAsync(ModelCard card, IReadOnlyList<NamedTensor> inputs, IReadOnlyList<string> outputs,
        CancellationToken ct)
    {
        using var deadline = Deadline(ct);
        try
        {
            using var lease = await pool.AcquireTensorAsync(card, deadline.Token).ConfigureAwait(false);
            var request = lease.Model.Check(inputs, outputs);
            return await lease.Model.InferAsync(request, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            throw Timeout(card, ex);
        }
    }

    /// <summary>Every catalog model this server can run as tensors, by v2 name, with its state.</summary>
    public IReadOnlyList<(string Name, string Version, string State, string Reason)> Index(bool readyOnly)
    {
        var models = new List<(string, string, string, string)>();
        foreach (var card in catalog.Cards.Where(IsTensorServable).OrderBy(c => c.Handle, StringComparer.Ordinal))
        {
            var ready = IsModelReady(card);
            if (readyOnly && !ready)
            {
                continue;
            }
            var state = ready ? "READY" : pool.IsTensorLoading(card.Handle) ? "LOADING" : "UNAVAILABLE";
            var reason = ready ? "" : $"not in the store; `zoo pull {card.Handle}` makes it ready";
            models.Add((V2ModelNames.FromHandle(card.Handle), card.Version, state, reason));
        }
        return models;
    }

    /// <summary>Logs an error that is not one the library raises on purpose.</summary>
    public void LogUnexpected(Exception ex)
    {
        if (ex is not ZooException and not OperationCanceledException)
        {
            logger.LogError(ex, "v2 request failed unexpectedly: {Message}", ex.Message);
        }
    }

    private static bool IsTensorServable(ModelCard card) => card.Format is ModelFormat.Onnx or ModelFormat.Tfjs or ModelFormat.Tflite;

    private CancellationTokenSource Deadline(CancellationToken ct)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.RequestTimeout);
        return deadline;
    }

    private ServeException Timeout(ModelCard card, Exception inner) => new(ZooErrors.RequestTimeout,
        $"'{card.Handle}' did not answer within {options.RequestTimeout.TotalMilliseconds:0} ms; retry later or raise ZooServerOptions.RequestTimeout.", inner: inner);
}
