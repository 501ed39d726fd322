using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace ModelZoo.Server.Cloud;

/// <summary>
/// Google Cloud Vision's <c>POST /v1/images:annotate</c>: a batch of <c>AnnotateImageRequest</c>s, each answered in
/// order. A request that cannot be answered gets its own <c>{"error":{"code","message"}}</c> (google.rpc.Status codes)
/// while the others succeed; the images of one call are predicted concurrently, so they share micro-batches.
/// </summary>
internal static class VisionApi
{
    private const int InvalidArgument = 3;
    private const int Unavailable = 14;
    private const int DeadlineExceeded = 4;
    private const int ResourceExhausted = 8;
    private const int Internal = 13;

    /// <summary>Features answered, by type; each gives one or more response fields.</summary>
    private static readonly Dictionary<string, Func<HttpContext, PredictionService, byte[], int, Task<IReadOnlyList<KeyValuePair<string, object>>>>> Features =
        new(StringComparer.Ordinal)
        {
            ["LABEL_DETECTION"] = LabelDetectionAsync,
            ["OBJECT_LOCALIZATION"] = ObjectLocalizationAsync,
            ["TEXT_DETECTION"] = TextDetectionAsync,
            ["DOCUMENT_TEXT_DETECTION"] = TextDetectionAsync,
            ["FACE_DETECTION"] = FaceDetectionAsync,
        };

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/images:annotate", AnnotateAsync).WithMetadata(new ZooRouteAttribute("vision")).WithName("VisionAnnotate")
            .WithSummary("Google Cloud Vision images:annotate (LABEL_DETECTION, OBJECT_LOCALIZATION, TEXT_DETECTION, FACE_DETECTION).")
            .DisableAntiforgery();
    }

    private static async Task<IResult> AnnotateAsync(HttpContext http, PredictionService service)
    {
        if (!ApiKeyCheck.IsAuthorized(http.Request, service.Options.ApiKey, allowGoogleForms: true))
        {
            return Error(401, "UNAUTHENTICATED", "This server needs an API key: pass ?key=KEY, X-Goog-Api-Key or Authorization: Bearer KEY.");
        }
        JsonElement root;
        try
        {
            var body = await service.ReadBodyAsync(http).ConfigureAwait(false);
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (ServeException ex) when (ex.StatusCode == 413)
        {
            return Error(413, "INVALID_ARGUMENT", ex.Message);
        }
        catch (ServeException ex) when (ex.StatusCode == 408)
        {
            return Error(408, "DEADLINE_EXCEEDED", ex.Message);
        }
        catch (ServeException ex)
        {
            return Error(400, "INVALID_ARGUMENT", ex.Message);
        }
        catch (JsonException ex)
        {
            return Error(400, "INVALID_ARGUMENT", $"Invalid JSON payload received: {ex.Message}");
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("requests", out var requests) || requests.ValueKind != JsonValueKind.Array)
        {
            return Error(400, "INVALID_ARGUMENT", "The body must be {\"requests\":[{\"image\":{\"content\":\"BASE64\"},\"features\":[{\"type\":\"LABEL_DETECTION\"}]}]}.");
        }
        var answers = requests.EnumerateArray().Select(r => AnswerAsync(http, service, r)).ToList();
        try
        {
            var responses = await Task.WhenAll(answers).ConfigureAwait(false);
            return Results.Json(new Dictionary<string, object> { ["responses"] = responses });
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
    }

    private static async Task<object> AnswerAsync(HttpContext http, PredictionService service, JsonElement request)
    {
        if (request.ValueKind != JsonValueKind.Object || !request.TryGetProperty("image", out var image) || image.ValueKind != JsonValueKind.Object)
        {
            return RequestError(InvalidArgument, "image is required.");
        }
        if (!image.TryGetProperty("content", out var content))
        {
            return RequestError(InvalidArgument, image.TryGetProperty("source", out _)
                ? "image.source is not supported by this server (it never fetches URLs); send the bytes as image.content."
                : "image.content must hold the base64-encoded image.");
        }
        if (content.ValueKind != JsonValueKind.String || !content.TryGetBytesFromBase64(out var bytes) || bytes.Length == 0)
        {
            return RequestError(InvalidArgument, "image.content is not valid base64 image data.");
        }
        if (!request.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array || features.GetArrayLength() == 0)
        {
            return RequestError(InvalidArgument, "features must list at least one feature, e.g. {\"type\":\"LABEL_DETECTION\"}.");
        }
        var response = new Dictionary<string, object>();
        foreach (var feature in features.EnumerateArray())
        {
            var type = feature.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
            var maxResults = feature.TryGetProperty("maxResults", out var m) && m.ValueKind == JsonValueKind.Number && m.TryGetInt32(out var n) ? n : 10;
            if (maxResults < 1)
            {
                return RequestError(InvalidArgument, "maxResults must be at least 1.");
            }
            if (!Features.TryGetValue(type, out var answer))
            {
                return RequestError(InvalidArgument,
                    $"feature type '{type}' is not supported by this server; use one of {string.Join(", ", Features.Keys)}.");
            }
            try
            {
                foreach (var (field, value) in await answer(http, service, bytes, maxResults).ConfigureAwait(false))
                {
                    response[field] = value;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                service.LogUnexpected(ex);
                var (status, _) = ApiErrors.Classify(ex);
                var code = status switch
                {
                    429 => ResourceExhausted,
                    503 => Unavailable,
                    504 => DeadlineExceeded,
                    >= 400 and < 500 => InvalidArgument,
                    _ => Internal,
                };
                return RequestError(code, ex is ZooException ? ex.Message : "the server failed unexpectedly; check its log.");
            }
        }
        return response;
    }

    private static async Task<IReadOnlyList<KeyValuePair<string, object>>> LabelDetectionAsync(HttpContext http, PredictionService service, byte[] bytes, int maxResults)
    {
        var top = Math.Min(maxResults, PredictOptions.MaxTop);
        var (predictions, detections, _, _, _) = await CloudLabels.PredictAsync(http, service, bytes, new PredictOptions { Top = top }, new PredictOptions())
            .ConfigureAwait(false);
        return [new("labelAnnotations", VisionMapper.LabelAnnotations(predictions, detections, maxResults))];
    }

    private static async Task<IReadOnlyList<KeyValuePair<string, object>>> ObjectLocalizationAsync(HttpContext http, PredictionService service, byte[] bytes, int maxResults)
    {
        var card = service.ObjectsModel() ?? throw new ServeException(ZooErrors.NoObjectsModel,
            "this server has no object-detection model for OBJECT_LOCALIZATION; set ZooServerOptions.ObjectsModel or preload one in ZooServerOptions.Models.");
        var (result, width, height) = await service.PredictImageAsync<IReadOnlyList<Detection>>(http, card, bytes,
            new PredictOptions { Top = Math.Min(maxResults, PredictOptions.MaxTop) }).ConfigureAwait(false);
        return [new("localizedObjectAnnotations", VisionMapper.LocalizedObjectAnnotations(result, width, height, maxResults))];
    }

    private static async Task<IReadOnlyList<KeyValuePair<string, object>>> TextDetectionAsync(HttpContext http, PredictionService service, byte[] bytes, int maxResults)
    {
        var card = service.TextModel();
        var (result, _, _) = await service.PredictImageAsync<TextSpottingResult>(http, card, bytes, new PredictOptions()).ConfigureAwait(false);
        // Vision ignores maxResults for text; words are only capped to keep a page of small print answerable.
        return
        [
            new("textAnnotations", VisionMapper.TextAnnotations(result.Lines, Math.Max(maxResults, MaxTextWords))),
            new("fullTextAnnotation", VisionMapper.FullTextAnnotation(result.Lines)),
        ];
    }

    private static async Task<IReadOnlyList<KeyValuePair<string, object>>> FaceDetectionAsync(HttpContext http, PredictionService service, byte[] bytes, int maxResults)
    {
        var card = service.FacesModel();
        var (result, _, _) = await service.PredictImageAsync<IReadOnlyList<Face>>(http, card, bytes,
            new PredictOptions { Top = Math.Min(maxResults, PredictOptions.MaxTop) }).ConfigureAwait(false);
        return [new("faceAnnotations", VisionMapper.FaceAnnotations(result, maxResults))];
    }

    /// <summary>Most word entries in <c>textAnnotations</c>.</summary>
    private const int MaxTextWords = 10_000;

    private static object RequestError(int code, string message) =>
        new Dictionary<string, object> { ["error"] = new Dictionary<string, object> { ["code"] = code, ["message"] = message } };

    private static IResult Error(int status, string statusName, string message) => Results.Json(
        new Dictionary<string, object> { ["error"] = new Dictionary<string, object> { ["code"] = status, ["message"] = message, ["status"] = statusName } },
        statusCode: status);
}
