using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace ModelZoo.Server.Cloud;

/// <summary>
/// Amazon Rekognition's JSON 1.1 protocol on <c>POST /</c>: the operation comes from <c>X-Amz-Target</c>
/// (<c>RekognitionService.DetectLabels</c> …), errors are <c>{"__type","message"}</c>. Requests are authenticated by
/// Signature V4 when AWS keys are configured; otherwise signatures are ignored.
/// </summary>
internal static class RekognitionApi
{
    public const string ContentType = "application/x-amz-json-1.1";
    private const string TargetPrefix = "RekognitionService.";

    /// <summary>Operations answered, by name.</summary>
    private static readonly Dictionary<string, Func<HttpContext, PredictionService, JsonElement, Task<IResult>>> Operations = new(StringComparer.Ordinal)
    {
        ["DetectLabels"] = DetectLabelsAsync,
        ["DetectText"] = DetectTextAsync,
        ["DetectFaces"] = DetectFacesAsync,
    };

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/", HandleAsync).WithMetadata(new ZooRouteAttribute("rekognition")).WithName("Rekognition")
            .WithSummary("Amazon Rekognition JSON 1.1 protocol (X-Amz-Target: RekognitionService.DetectLabels, DetectText or DetectFaces).")
            .DisableAntiforgery();
    }

    private static async Task<IResult> HandleAsync(HttpContext http, PredictionService service)
    {
        var options = service.Options;
        var target = http.Request.Headers["X-Amz-Target"].ToString();
        byte[] body;
        try
        {
            body = await service.ReadBodyAsync(http).ConfigureAwait(false);
        }
        catch (ServeException ex) when (ex.StatusCode == 413)
        {
            return new AwsError(400, "ImageTooLargeException", $"The request is larger than this server's limit of {options.MaxRequestBytes / 1024} KiB.");
        }
        catch (ServeException ex) when (ex.StatusCode == 408)
        {
            return new AwsError(408, "RequestTimeoutException", ex.Message);
        }
        catch (ServeException ex)
        {
            return new AwsError(400, "SerializationException", ex.Message);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
        if (Authenticate(http.Request, body, options) is { } denied)
        {
            return denied;
        }
        if (!target.StartsWith(TargetPrefix, StringComparison.Ordinal) || !Operations.TryGetValue(target[TargetPrefix.Length..], out var operation))
        {
            return new AwsError(400, "UnknownOperationException",
                string.IsNullOrEmpty(target) ? "Missing X-Amz-Target header." : $"Operation '{target}' is not supported by this server; supported: {string.Join(", ", Operations.Keys)}.");
        }
        JsonElement request;
        try
        {
            using var document = JsonDocument.Parse(body.Length == 0 ? "{}"u8.ToArray() : body);
            request = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return new AwsError(400, "SerializationException", $"The request body is not valid JSON: {ex.Message}");
        }
        if (request.ValueKind != JsonValueKind.Object)
        {
            return new AwsError(400, "SerializationException", "The request body must be a JSON object.");
        }
        try
        {
            return await operation(http, service, request).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
        catch (Exception ex)
        {
            service.LogUnexpected(ex);
            return FromException(ex);
        }
    }

    private static async Task<IResult> DetectLabelsAsync(HttpContext http, PredictionService service, JsonElement request)
    {
        var image = ReadImage(request, out var imageError);
        if (image is null)
        {
            return imageError!;
        }
        var maxLabels = 1000;
        if (request.TryGetProperty("MaxLabels", out var max))
        {
            if (max.ValueKind != JsonValueKind.Number || !max.TryGetInt32(out maxLabels) || maxLabels < 0)
            {
                return new AwsError(400, "InvalidParameterException", "MaxLabels must be a whole number of at least 0.");
            }
        }
        var minConfidence = 55f;
        var requestedMin = false;
        if (request.TryGetProperty("MinConfidence", out var min))
        {
            if (min.ValueKind != JsonValueKind.Number || !min.TryGetSingle(out minConfidence) || minConfidence is < 0 or > 100)
            {
                return new AwsError(400, "InvalidParameterException", "MinConfidence must be a number from 0 to 100.");
            }
            requestedMin = true;
        }
        // Rekognition's default of 55 % suits its calibrated scores; a detector's scores run lower (NanoDet rates a clear
        // horse about 50 %), so without an explicit MinConfidence the detector's own threshold decides its instances.
        var minInstance = requestedMin ? minConfidence : new DetectionOptions().ScoreThreshold * 100f;
        var top = Math.Clamp(maxLabels, 1, PredictOptions.MaxTop);
        var (predictions, detections, model, width, height) = await CloudLabels.PredictAsync(http, service, image,
            new PredictOptions { Top = top, MinScore = minConfidence / 100f }, new PredictOptions { MinScore = minInstance / 100f }).ConfigureAwait(false);
        return Json(RekognitionMapper.DetectLabels(predictions, detections, width, height, model, maxLabels, minConfidence,
            minInstance));
    }

    private static async Task<IResult> DetectTextAsync(HttpContext http, PredictionService service, JsonElement request)
    {
        var image = ReadImage(request, out var imageError);
        if (image is null)
        {
            return imageError!;
        }
        float minConfidence = 0f, minHeight = 0f, minWidth = 0f;
        if (request.TryGetProperty("Filters", out var filters) && filters.ValueKind == JsonValueKind.Object
            && filters.TryGetProperty("WordFilter", out var wordFilter) && wordFilter.ValueKind == JsonValueKind.Object)
        {
            if (ReadRatio(wordFilter, "MinConfidence", 100f, ref minConfidence) is { } e1) return e1;
            if (ReadRatio(wordFilter, "MinBoundingBoxHeight", 1f, ref minHeight) is { } e2) return e2;
            if (ReadRatio(wordFilter, "MinBoundingBoxWidth", 1f, ref minWidth) is { } e3) return e3;
        }
        var card = service.TextModel();
        var (result, width, height) = await service.PredictImageAsync<TextSpottingResult>(http, card, image, new PredictOptions()).ConfigureAwait(false);
        return Json(RekognitionMapper.DetectText(result.Lines, width, height, card, minConfidence, minHeight, minWidth));
    }

    private static async Task<IResult> DetectFacesAsync(HttpContext http, PredictionService service, JsonElement request)
    {
        var image = ReadImage(request, out var imageError);
        if (image is null)
        {
            return imageError!;
        }
        var all = false;
        if (request.TryGetProperty("Attributes", out var attributes))
        {
            if (attributes.ValueKind != JsonValueKind.Array || attributes.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String))
            {
                return new AwsError(400, "InvalidParameterException", "Attributes must be a list such as [\"DEFAULT\"] or [\"ALL\"].");
            }
            // ALL, or any single attribute (AGE_RANGE, EMOTIONS, GENDER …), asks for the estimated attributes.
            all = attributes.EnumerateArray().Any(a => a.GetString() != "DEFAULT");
        }
        var card = service.FacesModel();
        var (result, width, height) = await service.PredictImageAsync<IReadOnlyList<Face>>(http, card, image,
            new PredictOptions { FaceAttributes = all }).ConfigureAwait(false);
        return Json(RekognitionMapper.DetectFaces(result, width, height, all));
    }

    /// <summary>Reads an optional number from 0 to <paramref name="max"/>; returns the error for a bad one.</summary>
    private static AwsError? ReadRatio(JsonElement parent, string name, float max, ref float value)
    {
        if (!parent.TryGetProperty(name, out var element))
        {
            return null;
        }
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetSingle(out value) || value < 0f || value > max)
        {
            return new AwsError(400, "InvalidParameterException", $"{name} must be a number from 0 to {max}.");
        }
        return null;
    }

    /// <summary>Image.Bytes decoded from base64, or the AWS error that explains why not.</summary>
    internal static byte[]? ReadImage(JsonElement request, out AwsError? error)
    {
        error = null;
        if (!request.TryGetProperty("Image", out var image) || image.ValueKind != JsonValueKind.Object)
        {
            error = new AwsError(400, "InvalidParameterException", "The request must contain an Image object.");
            return null;
        }
        if (image.TryGetProperty("S3Object", out _))
        {
            error = new AwsError(400, "InvalidParameterException", "Image.S3Object is not supported by this server; send the image as Image.Bytes.");
            return null;
        }
        if (!image.TryGetProperty("Bytes", out var bytes) || bytes.ValueKind != JsonValueKind.String)
        {
            error = new AwsError(400, "InvalidParameterException", "Image.Bytes must hold the base64-encoded image.");
            return null;
        }
        if (!bytes.TryGetBytesFromBase64(out var decoded) || decoded.Length == 0)
        {
            error = new AwsError(400, "InvalidImageFormatException", "Image.Bytes is not valid base64 image data.");
            return null;
        }
        return decoded;
    }

    private static AwsError? Authenticate(HttpRequest request, byte[] body, ZooServerOptions options)
    {
        if (options.AwsAccessKey is { } accessKey && options.AwsSecretKey is { } secretKey)
        {
            return AwsSignatureV4.Verify(request, body, accessKey, secretKey, DateTimeOffset.UtcNow);
        }
        if (!ApiKeyCheck.IsAuthorized(request, options.ApiKey))
        {
            return new AwsError(400, "AccessDeniedException",
                "This server requires an API key (X-Api-Key) and has no AWS keys configured for signed requests; set ZooServerOptions.AwsAccessKey and ZooServerOptions.AwsSecretKey.");
        }
        return null;
    }

    internal static AwsError FromException(Exception ex)
    {
        switch (ex)
        {
            case ImageDecodeException { Code: ImageDecodeException.TooLargeCode } decode:
                return new AwsError(400, "ImageTooLargeException", decode.Message);
            case ImageDecodeException decode:
                return new AwsError(400, "InvalidImageFormatException", decode.Message);
            case ServeException { StatusCode: 429 or 503 } busy:
                return new AwsError(500, "ThrottlingException", busy.Message) { RetryAfterSeconds = 1 };
            case ServeException { StatusCode: 413 } large:
                return new AwsError(400, "ImageTooLargeException", large.Message);
            case ServeException { StatusCode: 504 } slow:
                return new AwsError(500, "InternalServerError", slow.Message);
            case ServeException { StatusCode: >= 400 and < 500 } bad:
                return new AwsError(400, "InvalidParameterException", bad.Message);
            default:
                return new AwsError(500, "InternalServerError", ex is ZooException ? ex.Message : "The server failed unexpectedly; check its log.");
        }
    }

    private static IResult Json(object value) => Results.Bytes(JsonSerializer.SerializeToUtf8Bytes(value), ContentType);
}
