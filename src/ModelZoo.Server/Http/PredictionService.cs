using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Server.Adapters;
using ModelZoo.Server.Hosting;

namespace ModelZoo.Server.Http;

/// <summary>
/// What every API front (native, Rekognition, Vision) does to answer a prediction: resolve a client-supplied handle
/// against the catalog (clients name catalog handles only, never sources or paths), decode the image, and run it
/// through the model's batcher under the request's deadline.
/// </summary>
internal sealed class PredictionService(ModelPool pool, ModelCatalog catalog, TaskEndpointRegistry tasks, ZooServerOptions options,
    ILogger<PredictionService> logger)
{
    /// <summary>Logs an error that is not one the library raises on purpose (those are the client's to read).</summary>
    public void LogUnexpected(Exception ex)
    {
        if (ex is not ZooException)
        {
            logger.LogError(ex, "request failed unexpectedly: {Message}", ex.Message);
        }
    }

    public ZooServerOptions Options => options;

    public TaskEndpointRegistry Tasks => tasks;

    public ModelCatalog Catalog => catalog;

    /// <summary>The catalog card of a handle a client sent.</summary>
    /// <exception cref="ServeException">400 for something that is not a handle.</exception>
    /// <exception cref="ModelNotFoundException">No such card (404).</exception>
    public ModelCard Resolve(string? handle)
    {
        if (!ModelCardValidator.IsValidHandle(handle))
        {
            throw new ServeException(400, "invalid-handle",
                "the model handle must be 2 to 4 lower-case segments of [a-z0-9._-] separated by '/'; list models with GET /v1/models.");
        }
        return catalog.Get(handle!);
    }

    /// <summary>Decodes a client's image under the server's pixel limit.</summary>
    public RgbImage Decode(ReadOnlySpan<byte> bytes) => ImageDecoder.Decode(bytes, null, options.Decode);

    /// <summary>
    /// Runs one prediction. Ownership of <paramref name="input"/> passes to this call. A request that outlives
    /// <see cref="ZooServerOptions.RequestTimeout"/> fails with a 504 <see cref="ServeException"/>; one whose client
    /// disconnects throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<object> PredictAsync(HttpContext http, ModelCard card, ImageOrText input, PredictOptions predictOptions)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        deadline.CancelAfter(options.RequestTimeout);
        try
        {
            ModelLease lease;
            try
            {
                lease = await pool.AcquireAsync(card, deadline.Token).ConfigureAwait(false);
            }
            catch
            {
                input.Dispose();
                throw;
            }
            using (lease)
            {
                return await lease.Model.PredictAsync(input, predictOptions, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException ex) when (!http.RequestAborted.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            throw new ServeException(504, "timeout",
                $"'{card.Handle}' did not answer within {options.RequestTimeout.TotalMilliseconds:0} ms; retry later or raise --timeout-ms.", inner: ex);
        }
    }

    /// <summary>The classification model behind the cloud label APIs.</summary>
    /// <exception cref="ServeException">None is configured or the configured one is not a classifier.</exception>
    public ModelCard LabelsModel()
    {
        var handle = options.LabelsModel
            ?? options.Models.FirstOrDefault(h => catalog.TryGet(h, out var c) && c.Task == ModelTask.ImageClassification)
            ?? throw new ServeException(400, "no-labels-model",
                "this server has no image-classification model for label detection; start it with --rekognition-labels HANDLE or preload one with --models.");
        var card = Resolve(handle);
        if (card.Task != ModelTask.ImageClassification)
        {
            throw new ServeException(400, "no-labels-model",
                $"'{handle}' is not an image-classification model, so it cannot serve label detection; pass a classifier to --rekognition-labels.");
        }
        return card;
    }
}
