using Microsoft.Extensions.Logging;
using ModelZoo.Tasks.Ocr;

namespace ModelZoo.Server.Http;

/// <summary>
/// What every API front (native, Rekognition, Vision) does to answer a prediction: resolve a client-supplied handle
/// against the catalog (clients name catalog handles only, never sources or paths), decode the image, and run it
/// through the model's batcher under the request's deadline.
/// </summary>
internal sealed class PredictionService(ModelPool pool, ModelCatalog catalog, TaskEndpointRegistry tasks, ZooServerOptions options,
    DecodeBudget decodeBudget, ILogger<PredictionService> logger)
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

    /// <summary>
    /// Reads a request's body under the server's size limit and request timeout. A body that stalls is answered 408
    /// and logged as one line (it is the client's network, not a server fault).
    /// </summary>
    /// <exception cref="ServeException">413, 408 or 400 (see <see cref="RequestBody.ReadAsync"/>).</exception>
    public async Task<byte[]> ReadBodyAsync(HttpContext http)
    {
        try
        {
            return await RequestBody.ReadAsync(http.Request, options.MaxRequestBytes, options.RequestTimeout, http.RequestAborted).ConfigureAwait(false);
        }
        catch (ServeException ex) when (ex.StatusCode is 408 or 400)
        {
            logger.LogWarning("{Method} {Path} from {Remote}: {Code}: {Message}", http.Request.Method, http.Request.Path.Value,
                http.Connection.RemoteIpAddress, ex.Code, ex.Message);
            throw;
        }
    }

    public TaskEndpointRegistry Tasks => tasks;

    public ModelCatalog Catalog => catalog;

    /// <summary>The catalog card of a handle a client sent.</summary>
    /// <exception cref="ServeException">400 for something that is not a handle.</exception>
    /// <exception cref="ModelNotFoundException">No such card (404).</exception>
    public ModelCard Resolve(string? handle)
    {
        if (!ModelCardValidator.IsValidHandle(handle))
        {
            throw new ServeException(ZooErrors.InvalidHandle,
                "the model handle must be 2 to 4 lower-case segments of [a-z0-9._-] separated by '/'; list models with GET /v1/models.");
        }
        return catalog.Get(handle!);
    }

    /// <summary>
    /// Decodes a client's image under the server's pixel limit and decode budget: the decode's memory is charged
    /// (waiting for room if need be) until the request ends, and a huge image comes out reduced. When
    /// <paramref name="minimumScale"/> is given (<see cref="DecodeScaleFor"/>: a task that only maps geometry back), a JPEG
    /// much larger than the model input is decoded by the codec's own scaling at the smallest size the card's resize still
    /// shrinks. The budget is charged for the size the image would decode at without it, an upper bound.
    /// </summary>
    /// <exception cref="ImageDecodeException">The bytes are not an image the server accepts.</exception>
    /// <exception cref="ServeException">503 when the budget had no room in time.</exception>
    public async Task<ScaledImage> DecodeScaledAsync(HttpContext http, byte[] bytes, Func<int, int, double>? minimumScale)
    {
        var estimate = ImageDecoder.Measure(bytes, null, options.Decode);
        var charge = await decodeBudget.AcquireAsync(estimate.PeakBytes, options.RequestTimeout, http.RequestAborted).ConfigureAwait(false);
        http.Response.RegisterForDispose(charge);
        return ImageDecoder.DecodeScaled(bytes, null, options.Decode, minimumScale);
    }

    /// <summary>
    /// Runs one prediction and returns the native response (the task's JSON, geometry scaled to the pixels of the
    /// image as sent), for the native API, which answers whatever the task returns. See
    /// <see cref="PredictAsync{TResult}(HttpContext, ModelCard, ImageOrText, PredictOptions)"/> for the deadline and ownership rules.
    /// </summary>
    public Task<byte[]> PredictJsonAsync(HttpContext http, ModelCard card, ImageOrText input, PredictOptions predictOptions, float scaleX = 1f,
        float scaleY = 1f) =>
        RunAsync(http, card, input, (model, ct) => model.PredictJsonAsync(input, predictOptions, scaleX, scaleY, ct));

    /// <summary>
    /// Runs one prediction on a model whose task answers <typeparamref name="TResult"/> (the cloud APIs know which
    /// result their operation needs). Ownership of <paramref name="input"/> passes to this call. A request that
    /// outlives <see cref="ZooServerOptions.RequestTimeout"/> fails with a 503 <see cref="ServeException"/>
    /// (<c>model-loading</c>) while its model is still loading, a 504 once it is running; one whose client disconnects
    /// throws <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <exception cref="ServeException">500 <c>adapter-result-type</c> when the adapter registered for the card's task
    /// answers another type.</exception>
    public Task<TResult> PredictAsync<TResult>(HttpContext http, ModelCard card, ImageOrText input, PredictOptions predictOptions) =>
        PredictAsync<TResult>(http, card, input, predictOptions, 1f, 1f);

    /// <summary><see cref="PredictAsync{TResult}(HttpContext, ModelCard, ImageOrText, PredictOptions)"/> on an image decoded
    /// smaller than it was sent: geometry is scaled by <paramref name="scaleX"/> and <paramref name="scaleY"/> back to the
    /// sent pixels.</summary>
    public Task<TResult> PredictAsync<TResult>(HttpContext http, ModelCard card, ImageOrText input, PredictOptions predictOptions,
        float scaleX, float scaleY) =>
        RunAsync(http, card, input, (model, ct) => model is ServedModel<TResult> typed
            ? typed.PredictAsync(input, predictOptions, scaleX, scaleY, ct)
            : throw new ServeException(ZooErrors.AdapterResultType,
                $"the adapter serving '{card.Handle}' ({model.Endpoint.GetType().Name}) does not answer {typeof(TResult).Name}; register the built-in adapter for {ModelPool.TaskName(card.Task)} models."));

    /// <summary>
    /// Decodes <paramref name="bytes"/> as the native API does (at the least scale <see cref="DecodeScaleFor"/> allows)
    /// and runs <see cref="PredictAsync{TResult}(HttpContext, ModelCard, ImageOrText, PredictOptions)"/> on the image: what
    /// a cloud operation answers from, with geometry and size in the pixels of the image as sent, which its mapper needs.
    /// </summary>
    public async Task<(TResult Result, int Width, int Height)> PredictImageAsync<TResult>(HttpContext http, ModelCard card, byte[] bytes,
        PredictOptions predictOptions)
    {
        var decoded = await DecodeScaledAsync(http, bytes, DecodeScaleFor(card)).ConfigureAwait(false);
        var (scaleX, scaleY) = decoded.SourcePerDecoded;
        var result = await PredictAsync<TResult>(http, card, ImageOrText.FromImage(decoded.Image), predictOptions, scaleX, scaleY).ConfigureAwait(false);
        return (result, decoded.SourceWidth, decoded.SourceHeight);
    }

    /// <summary>The least decode scale for a model whose answer is only mapped back to the sent image's pixels (labels,
    /// vectors, boxes, keypoints), as the CLI's file loop decodes; null (full size) for tasks that read the image's pixels
    /// after inference (face attributes, face embeddings, upscaling), answer in the decoded size (masks) or size their
    /// input per image (text).</summary>
    public Func<int, int, double>? DecodeScaleFor(ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var mapsGeometryOnly = card.Task switch
        {
            ModelTask.ImageClassification or ModelTask.ImageFeatureVector or ModelTask.ObjectDetection or ModelTask.PoseEstimation => true,
            ModelTask.FaceDetection => Tasks.Find(card.Task) is { } endpoint && endpoint.Companions(card, Catalog).Count == 0,
            _ => false,
        };
        return mapsGeometryOnly && card.Input is { } spec ? ImagePreprocessor.DecodeScale(spec) : null;
    }

    private async Task<T> RunAsync<T>(HttpContext http, ModelCard card, ImageOrText input, Func<ServedModel, CancellationToken, Task<T>> predict)
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
            catch (OperationCanceledException ex) when (!http.RequestAborted.IsCancellationRequested && deadline.IsCancellationRequested)
            {
                input.Dispose();
                // The model never became available (a long download, a store held by another process): not the
                // model being slow to answer, so a 503 the client may retry rather than a 504.
                throw new ServeException(ZooErrors.ModelLoading,
                    $"'{card.Handle}' is still loading after {options.RequestTimeout.TotalMilliseconds:0} ms (downloading, or waiting for the model store); " +
                    "retry after the Retry-After delay, and check the server log if it persists.", TimeSpan.FromSeconds(5), ex);
            }
            catch
            {
                input.Dispose();
                throw;
            }
            using (lease)
            {
                Task<T> prediction;
                try
                {
                    prediction = predict(lease.Model, deadline.Token);
                }
                catch
                {
                    input.Dispose();
                    throw;
                }
                return await prediction.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException ex) when (!http.RequestAborted.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            throw new ServeException(ZooErrors.RequestTimeout,
                $"'{card.Handle}' did not answer within {options.RequestTimeout.TotalMilliseconds:0} ms; retry later or raise ZooServerOptions.RequestTimeout.", inner: ex);
        }
    }

    /// <summary>The classification model behind the cloud label APIs.</summary>
    /// <exception cref="ServeException">None is configured or the configured one is not a classifier.</exception>
    public ModelCard LabelsModel() => TryLabelsModel() ?? throw new ServeException(ZooErrors.NoLabelsModel,
        "this server has no image-classification model for label detection; set ZooServerOptions.LabelsModel or preload one in ZooServerOptions.Models.");

    /// <summary>The classification model behind the cloud label APIs, or null when none is configured or preloaded.</summary>
    /// <exception cref="ServeException">The configured one is not a classifier.</exception>
    public ModelCard? TryLabelsModel() =>
        Pick(options.LabelsModel, ModelTask.ImageClassification, null, nameof(ZooServerOptions.LabelsModel), "label detection");

    /// <summary>The detection model behind label instances and object localisation, or null when none is configured or preloaded.</summary>
    /// <exception cref="ServeException">The configured one is not an object-detection model.</exception>
    public ModelCard? ObjectsModel() =>
        Pick(options.ObjectsModel, ModelTask.ObjectDetection, null, nameof(ZooServerOptions.ObjectsModel), "object localisation");

    /// <summary>The face detector behind the cloud face APIs.</summary>
    /// <exception cref="ServeException">The configured one is not a face-detection model.</exception>
    public ModelCard FacesModel() =>
        Pick(options.FacesModel, ModelTask.FaceDetection, ZooServerOptions.DefaultFacesModel, nameof(ZooServerOptions.FacesModel), "face detection")!;

    /// <summary>The text-detection card of the OCR pipeline behind the cloud text APIs; a pipeline prefix
    /// (<c>ocr/ppocrv4</c>) names its detector.</summary>
    /// <exception cref="ServeException">The configured handle names no OCR pipeline.</exception>
    public ModelCard TextModel()
    {
        var handle = options.TextModel
            ?? options.Models.FirstOrDefault(h => catalog.TryGet(h, out var c) && c.Task == ModelTask.TextDetection)
            ?? ZooServerOptions.DefaultTextModel;
        try
        {
            return TextSpotterModels.Resolve(catalog, handle).Detector;
        }
        catch (ZooException ex)
        {
            throw new ServeException(ZooErrors.NoTextModel,
                $"'{handle}' names no OCR pipeline, so it cannot serve text detection ({ex.Message.TrimEnd('.')}); set ZooServerOptions.TextModel to a pipeline such as {TextSpotterModels.DefaultHandle}.", inner: ex);
        }
    }

    /// <summary>The configured handle, else the first preloaded model of <paramref name="task"/>, else <paramref name="fallback"/>.</summary>
    private ModelCard? Pick(string? configured, ModelTask task, string? fallback, string option, string what)
    {
        var handle = configured
            ?? options.Models.FirstOrDefault(h => catalog.TryGet(h, out var c) && c.Task == task)
            ?? fallback;
        if (handle is null)
        {
            return null;
        }
        var card = Resolve(handle);
        if (card.Task != task)
        {
            throw new ServeException(ZooErrors.WrongTaskModel,
                $"'{handle}' is a {ModelPool.TaskName(card.Task)} model, so it cannot serve {what}; set ZooServerOptions.{option} to a {ModelPool.TaskName(task)} model.");
        }
        return card;
    }
}
