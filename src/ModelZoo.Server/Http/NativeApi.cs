using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ModelZoo.Server.Http;

/// <summary>
/// The native REST API: <c>GET /v1/models</c>, <c>GET /v1/models/{handle}</c>, <c>POST /v1/models/{handle}:predict</c>,
/// plus <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c>. Handles contain '/', so the model routes are catch-alls
/// and the <c>:predict</c> verb is split off the end.
/// </summary>
internal static class NativeApi
{
    private const string PredictVerb = ":predict";

    /// <summary>OpenAPI operation ids of the model routes (<see cref="NativeApiDocument"/> completes them).</summary>
    internal const string ListModelsOperation = "ListModels", GetModelOperation = "GetModel", PredictOperation = "Predict";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/v1/models").AddEndpointFilter(async (context, next) =>
        {
            var options = context.HttpContext.RequestServices.GetRequiredService<ZooServerOptions>();
            return ApiKeyCheck.IsAuthorized(context.HttpContext.Request, options.ApiKey)
                ? await next(context).ConfigureAwait(false)
                : ApiErrors.Result(ZooErrors.Unauthorized, "this server needs an API key; send it as 'Authorization: Bearer KEY' or 'X-Api-Key: KEY'.");
        });
        api.MapGet("", ListModels).WithMetadata(new ZooRouteAttribute("models")).WithName(ListModelsOperation)
            .WithSummary("Catalog models whose task this server can serve.");
        api.MapGet("/{**path}", GetModel).WithMetadata(new ZooRouteAttribute("model")).WithName(GetModelOperation)
            .WithSummary("One model's card summary.");
        api.MapPost("/{**path}", Predict).WithMetadata(new ZooRouteAttribute("predict")).WithName(PredictOperation)
            .WithSummary("POST /v1/models/{handle}:predict with a raw image (or, for text models, UTF-8 text) body or a multipart form with a 'file' field; ?top=K&min_score=S.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .DisableAntiforgery();

        endpoints.MapGet("/healthz", () => Results.Text("ok\n")).WithMetadata(new ZooRouteAttribute("healthz")).ExcludeFromDescription();
        endpoints.MapGet("/readyz", (ModelWarmup warmup) => warmup.IsReady
                ? Results.Text("ready\n")
                : Results.Text(warmup.Failure is { } failure ? $"failed: {failure}\n" : "loading\n", statusCode: 503))
            .WithMetadata(new ZooRouteAttribute("readyz")).ExcludeFromDescription();
        endpoints.MapGet("/metrics", (ServerMetrics metrics) => Results.Text(metrics.Render(), "text/plain; version=0.0.4; charset=utf-8"))
            .WithMetadata(new ZooRouteAttribute("metrics")).ExcludeFromDescription();
    }

    private static IResult ListModels(PredictionService service, ModelPool pool, ModelStore store)
    {
        var loaded = pool.Loaded.ToHashSet(StringComparer.Ordinal);
        var models = service.Catalog.Cards
            .Where(c => service.Tasks.Find(c.Task) is not null)
            .Select(c => Summary(c, service.Tasks.Find(c.Task)!, loaded.Contains(c.Handle), store.IsCached(c), pool.IsAllowed(c.Handle)))
            .ToList();
        return Results.Json(new { models });
    }

    private static IResult GetModel(string path, PredictionService service, ModelPool pool, ModelStore store)
    {
        try
        {
            var card = service.Resolve(path);
            return Results.Json(Summary(card, service.Tasks.Find(card.Task), pool.Loaded.Contains(card.Handle), store.IsCached(card), pool.IsAllowed(card.Handle)));
        }
        catch (Exception ex) when (ex is ZooException)
        {
            return ApiErrors.FromException(ex);
        }
    }

    private static async Task<IResult> Predict(string path, HttpContext http, PredictionService service, ServerMetrics metrics)
    {
        if (!path.EndsWith(PredictVerb, StringComparison.Ordinal))
        {
            return ApiErrors.Result(ZooErrors.NotFound, "POST to /v1/models/{handle}:predict; the ':predict' suffix is missing.");
        }
        try
        {
            var card = service.Resolve(path[..^PredictVerb.Length]);
            var endpoint = service.Tasks.Find(card.Task) ?? throw new ServeException(ZooErrors.ModelNotServable,
                $"'{card.Handle}' is a {ModelPool.TaskName(card.Task)} model and this server has no adapter for that task; pick another model from GET /v1/models.");
            var options = ParseOptions(http.Request.Query);
            var body = await service.ReadBodyAsync(http).ConfigureAwait(false);
            if (body.Length == 0)
            {
                return ApiErrors.Result(ZooErrors.EmptyBody, "the request has no body; send the image bytes (or a multipart form with a 'file' field).");
            }
            if (endpoint.Input == TaskInput.Text)
            {
                return Json(await service.PredictJsonAsync(http, card, ImageOrText.FromText(Encoding.UTF8.GetString(body)), options).ConfigureAwait(false));
            }
            var decodeStart = Stopwatch.GetTimestamp();
            var decoded = await service.DecodeScaledAsync(http, body, service.DecodeScaleFor(card)).ConfigureAwait(false);
            metrics.ObserveDecode(card.Handle, Stopwatch.GetElapsedTime(decodeStart));
            // Geometry in the pixels of the image the client sent, also when it was decoded smaller.
            var (scaleX, scaleY) = decoded.SourcePerDecoded;
            return Json(await service.PredictJsonAsync(http, card, ImageOrText.FromImage(decoded.Image), options, scaleX, scaleY).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
        catch (Exception ex)
        {
            service.LogUnexpected(ex);
            return ApiErrors.FromException(ex);
        }
    }

    private static IResult Json(byte[] body) => Results.Bytes(body, "application/json; charset=utf-8");

    private static PredictOptions ParseOptions(IQueryCollection query)
    {
        var options = new PredictOptions();
        if (query.TryGetValue("top", out var topText))
        {
            if (!int.TryParse(topText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var top) || top < 1 || top > PredictOptions.MaxTop)
            {
                throw new ServeException(ZooErrors.BadParameter, $"top must be a whole number from 1 to {PredictOptions.MaxTop}, got '{topText}'.");
            }
            options = options with { Top = top };
        }
        if (query.TryGetValue("min_score", out var minText))
        {
            if (!float.TryParse(minText, NumberStyles.Float, CultureInfo.InvariantCulture, out var min) || min is < 0 or > 1 || float.IsNaN(min))
            {
                throw new ServeException(ZooErrors.BadParameter, $"min_score must be a number from 0 to 1, got '{minText}'.");
            }
            options = options with { MinScore = min };
        }
        return options;
    }

    /// <summary>The JSON Schema of <see cref="Summary"/>, for the OpenAPI document.</summary>
    internal static JsonObject SummarySchema() => ResultSchema.Object("One catalog model as this server sees it.",
        ResultSchema.Required("handle", ResultSchema.String("The catalog handle, e.g. 'face/blazeface/front_128'.")),
        ResultSchema.Required("task", ResultSchema.String("The model's task; a predict answers in that task's shape.")),
        ResultSchema.Required("accepts", ResultSchema.OrNull(ResultSchema.String("What a predict body holds: 'image' or 'text'; null when this server cannot serve the task."))),
        ResultSchema.Required("version", ResultSchema.String("The card's version.")),
        ResultSchema.Required("title", ResultSchema.OrNull(ResultSchema.String("A human title."))),
        ResultSchema.Required("license", ResultSchema.String("SPDX licence identifier.")),
        ResultSchema.Required("sizeBytes", ResultSchema.Integer("Total size of the model's files.")),
        ResultSchema.Required("input", ResultSchema.OrNull(ResultSchema.Object("The model's input image size.",
            ResultSchema.Required("width", ResultSchema.Integer("Width in pixels (0: any).")),
            ResultSchema.Required("height", ResultSchema.Integer("Height in pixels (0: any)."))))),
        ResultSchema.Required("labels", ResultSchema.OrNull(ResultSchema.Integer("How many labels the model has."))),
        ResultSchema.Required("loaded", ResultSchema.Boolean("Whether it is in memory now.")),
        ResultSchema.Required("cached", ResultSchema.Boolean("Whether its files are on this server's disk.")),
        ResultSchema.Required("allowed", ResultSchema.Boolean("Whether a client may use it here.")));

    private static object Summary(ModelCard card, ITaskEndpoint? endpoint, bool loaded, bool cached, bool allowed) => new
    {
        handle = card.Handle,
        task = ModelPool.TaskName(card.Task),
        // What a predict body holds for this model ("image" or "text"); null when the server cannot serve it.
        accepts = endpoint is null ? null : endpoint.Input == TaskInput.Text ? "text" : "image",
        version = card.Version,
        title = card.Title,
        license = card.License.Spdx,
        sizeBytes = card.TotalSize,
        input = card.Input is { } input ? new { width = input.Width, height = input.Height } : null,
        labels = card.Labels?.Count,
        loaded,
        cached,
        // Whether a client may use it here (the configured models, or any with --allow-pull).
        allowed,
    };
}
