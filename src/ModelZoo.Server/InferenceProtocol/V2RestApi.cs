using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ModelZoo.Server.InferenceProtocol;

/// <summary>
/// The Open Inference Protocol's REST API under <c>/v2</c>: health, server and model metadata, model readiness,
/// <c>infer</c> with JSON tensors or the binary tensor data extension, and the repository index extension. Errors are
/// <c>{"error": "message"}</c> as the protocol specifies. The API key, when set, is required on everything but
/// <c>/v2/health/*</c> (probes carry no credentials).
/// </summary>
internal static class V2RestApi
{
    /// <summary>The binary tensor data extension's header: the length of the JSON part at the start of the body.</summary>
    public const string HeaderLengthHeader = "Inference-Header-Content-Length";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var health = endpoints.MapGroup("/v2/health").ExcludeFromDescription();
        health.MapGet("/live", () => Results.Json(new { live = true })).WithMetadata(new ZooRouteAttribute("v2-health"));
        health.MapGet("/ready", (InferenceProtocolService service) => service.IsServerReady
                ? Results.Json(new { ready = true })
                : Results.Json(new { ready = false }, statusCode: 400))
            .WithMetadata(new ZooRouteAttribute("v2-health"));

        var api = endpoints.MapGroup("/v2").ExcludeFromDescription().AddEndpointFilter(async (context, next) =>
        {
            var options = context.HttpContext.RequestServices.GetRequiredService<ZooServerOptions>();
            return ApiKeyCheck.IsAuthorized(context.HttpContext.Request, options.ApiKey)
                ? await next(context).ConfigureAwait(false)
                : Error(401, "this server needs an API key; send it as 'Authorization: Bearer KEY' or 'X-Api-Key: KEY'.");
        });
        api.MapGet("", () => Results.Json(new
        {
            name = InferenceProtocolService.ServerName,
            version = InferenceProtocolService.ServerVersion,
            extensions = InferenceProtocolService.Extensions,
        })).WithMetadata(new ZooRouteAttribute("v2-metadata"));
        api.MapGet("/models/{name}", (string name, HttpContext http, InferenceProtocolService service) => MetadataAsync(name, null, http, service))
            .WithMetadata(new ZooRouteAttribute("v2-model"));
        api.MapGet("/models/{name}/versions/{version}", (string name, string version, HttpContext http, InferenceProtocolService service) =>
            MetadataAsync(name, version, http, service)).WithMetadata(new ZooRouteAttribute("v2-model"));
        api.MapGet("/models/{name}/ready", (string name, InferenceProtocolService service) => Ready(name, null, service))
            .WithMetadata(new ZooRouteAttribute("v2-model"));
        api.MapGet("/models/{name}/versions/{version}/ready", (string name, string version, InferenceProtocolService service) =>
            Ready(name, version, service)).WithMetadata(new ZooRouteAttribute("v2-model"));
        api.MapPost("/models/{name}/infer", (string name, HttpContext http, InferenceProtocolService service) => InferAsync(name, null, http, service))
            .WithMetadata(new ZooRouteAttribute("v2-infer")).DisableAntiforgery();
        api.MapPost("/models/{name}/versions/{version}/infer", (string name, string version, HttpContext http, InferenceProtocolService service) =>
            InferAsync(name, version, http, service)).WithMetadata(new ZooRouteAttribute("v2-infer")).DisableAntiforgery();
        api.MapPost("/repository/index", IndexAsync).WithMetadata(new ZooRouteAttribute("v2-repository")).DisableAntiforgery();
    }

    private static IResult Ready(string name, string? version, InferenceProtocolService service)
    {
        try
        {
            var card = service.Resolve(name, version);
            return service.IsModelReady(card) ? Results.Json(new { name, ready = true }) : Results.Json(new { name, ready = false }, statusCode: 400);
        }
        catch (ZooException ex)
        {
            return FromException(ex);
        }
    }

    private static async Task<IResult> MetadataAsync(string name, string? version, HttpContext http, InferenceProtocolService service)
    {
        try
        {
            var card = service.Resolve(name, version);
            var (inputs, outputs) = await service.MetadataAsync(card, http.RequestAborted).ConfigureAwait(false);
            return Results.Json(new
            {
                name,
                versions = new[] { card.Version },
                platform = InferenceProtocolService.Platform,
                inputs = inputs.Select(Tensor),
                outputs = outputs.Select(Tensor),
            });
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

    private static async Task<IResult> IndexAsync(HttpContext http, InferenceProtocolService service)
    {
        var readyOnly = false;
        try
        {
            var body = await RequestBody.ReadAsync(http.Request, 64 * 1024, service.Options.RequestTimeout, http.RequestAborted).ConfigureAwait(false);
            if (body.Length > 0)
            {
                using var json = JsonDocument.Parse(body);
                readyOnly = json.RootElement.ValueKind == JsonValueKind.Object
                    && json.RootElement.TryGetProperty("ready", out var ready) && ready.ValueKind == JsonValueKind.True;
            }
        }
        catch (JsonException)
        {
            return Error(400, "the repository index request is not JSON; send {} or {\"ready\": true}.");
        }
        catch (ZooException ex)
        {
            return FromException(ex);
        }
        return Results.Json(service.Index(readyOnly).Select(m => new { name = m.Name, version = m.Version, state = m.State, reason = m.Reason }));
    }

    private static async Task<IResult> InferAsync(string name, string? version, HttpContext http, InferenceProtocolService service)
    {
        try
        {
            var card = service.Resolve(name, version);
            var body = await RequestBody.ReadAsync(http.Request, service.Options.MaxRequestBytes, service.Options.RequestTimeout, http.RequestAborted).ConfigureAwait(false);
            var request = ParseRequest(http.Request, body);
            var outputs = await service.InferAsync(card, request.Inputs, request.Outputs.Select(o => o.Name).ToList(), http.RequestAborted)
                .ConfigureAwait(false);
            return new InferResult(card, name, request, outputs);
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

    /// <summary>Reads an infer request: the JSON header (all of the body, or its first <c>Inference-Header-Content-Length</c>
    /// bytes) and, for inputs with a <c>binary_data_size</c> parameter, their bytes in input order after it.</summary>
    internal static ParsedRequest ParseRequest(HttpRequest request, byte[] body)
    {
        var headerLength = body.Length;
        if (request.Headers.TryGetValue(HeaderLengthHeader, out var lengthText))
        {
            if (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out headerLength) || headerLength > body.Length)
            {
                throw V2DataTypes.Bad($"{HeaderLengthHeader} is '{lengthText}' but the body has {body.Length} bytes; send the JSON header's length.");
            }
        }
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(body.AsMemory(0, headerLength));
        }
        catch (JsonException ex)
        {
            throw V2DataTypes.Bad($"the infer request is not valid JSON ({ex.Message.Split('.')[0]}); send {{\"inputs\": [...]}}.");
        }
        using (json)
        {
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("inputs", out var inputsJson) || inputsJson.ValueKind != JsonValueKind.Array)
            {
                throw V2DataTypes.Bad("the infer request has no 'inputs' array; send {\"inputs\": [{\"name\", \"shape\", \"datatype\", \"data\"}]}.");
            }
            var binaryOffset = headerLength;
            var inputs = new List<NamedTensor>();
            foreach (var input in inputsJson.EnumerateArray())
            {
                var inputName = String(input, "name") ?? throw V2DataTypes.Bad("an input has no 'name'; name every input tensor.");
                var datatype = String(input, "datatype") ?? throw V2DataTypes.Bad($"input '{inputName}' has no 'datatype'; send e.g. \"FP32\".");
                if (V2DataTypes.ClrType(datatype) is null)
                {
                    throw V2DataTypes.Bad($"input '{inputName}' is {datatype}, which is not supported here; use FP32, FP64, INT64, INT32, UINT8, INT8 or BOOL.");
                }
                var shape = Shape(input, inputName);
                var count = V2DataTypes.ElementCount(inputName, shape);
                Array data;
                if (Parameter(input, "binary_data_size") is { ValueKind: JsonValueKind.Number } sizeJson)
                {
                    if (!sizeJson.TryGetInt64(out var size) || size < 0 || binaryOffset + size > body.Length)
                    {
                        throw V2DataTypes.Bad($"input '{inputName}' says binary_data_size {sizeJson} but only {body.Length - binaryOffset} binary bytes are left; check {HeaderLengthHeader} and the sizes.");
                    }
                    data = V2DataTypes.FromBytes(inputName, datatype, body.AsSpan(binaryOffset, (int)size), count);
                    binaryOffset += (int)size;
                }
                else if (input.TryGetProperty("data", out var dataJson))
                {
                    data = V2DataTypes.FromJson(inputName, datatype, dataJson, count);
                }
                else
                {
                    throw V2DataTypes.Bad($"input '{inputName}' has neither 'data' nor a binary_data_size parameter; send its elements.");
                }
                inputs.Add(new NamedTensor(inputName, data, [.. shape]));
            }
            if (binaryOffset != body.Length)
            {
                throw V2DataTypes.Bad($"{body.Length - binaryOffset} bytes after the JSON header belong to no input; give every binary input its binary_data_size.");
            }
            var binaryDefault = root.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
                && parameters.TryGetProperty("binary_data_output", out var flag) && flag.ValueKind == JsonValueKind.True;
            var outputs = new List<RequestedOutput>();
            if (root.TryGetProperty("outputs", out var outputsJson) && outputsJson.ValueKind == JsonValueKind.Array)
            {
                foreach (var output in outputsJson.EnumerateArray())
                {
                    var outputName = String(output, "name") ?? throw V2DataTypes.Bad("a requested output has no 'name'; name it or leave 'outputs' out for all.");
                    var binary = Parameter(output, "binary_data") is { } b ? b.ValueKind == JsonValueKind.True : binaryDefault;
                    outputs.Add(new RequestedOutput(outputName, binary));
                }
            }
            return new ParsedRequest(String(root, "id"), inputs, outputs, binaryDefault);
        }
    }

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JsonElement? Parameter(JsonElement element, string name) =>
        element.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
        && parameters.TryGetProperty(name, out var value) ? value : null;

    private static List<long> Shape(JsonElement input, string name)
    {
        if (!input.TryGetProperty("shape", out var shapeJson) || shapeJson.ValueKind != JsonValueKind.Array)
        {
            throw V2DataTypes.Bad($"input '{name}' has no 'shape' array; send its dimensions, e.g. [1,3,224,224].");
        }
        var shape = new List<long>();
        foreach (var d in shapeJson.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var dim))
            {
                throw V2DataTypes.Bad($"input '{name}' has a shape entry that is not a whole number; send integers.");
            }
            shape.Add(dim);
        }
        return shape;
    }

    private static object Tensor(TensorInfo info) => new
    {
        name = info.Name,
        datatype = V2DataTypes.FromOnnx(info.ElementType),
        shape = info.Shape,
    };

    internal static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);

    private static IResult FromException(Exception ex)
    {
        var (status, _) = ApiErrors.Classify(ex);
        var message = status == 500 && ex is not ZooException
            ? $"the server failed unexpectedly ({ex.GetType().Name}); check the server log and report it if it persists."
            : ex.Message;
        return new ErrorResult(status, message, (ex as ServeException)?.RetryAfter);
    }

    /// <summary>An output a client asked for, and whether it wants it in the binary form.</summary>
    internal sealed record RequestedOutput(string Name, bool Binary);

    /// <summary>A parsed infer request.</summary>
    internal sealed record ParsedRequest(string? Id, IReadOnlyList<NamedTensor> Inputs, IReadOnlyList<RequestedOutput> Outputs, bool BinaryDefault);

    private sealed class ErrorResult(int status, string message, TimeSpan? retryAfter) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => status;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (retryAfter is { } delay)
            {
                httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }
            return Error(status, message).ExecuteAsync(httpContext);
        }
    }

    /// <summary>The infer response: JSON, or JSON followed by the binary outputs when any output is asked for in binary.</summary>
    private sealed class InferResult(ModelCard card, string name, ParsedRequest request, IReadOnlyList<NamedTensor> outputs) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => 200;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var binaryParts = new List<byte[]>();
            using var header = new MemoryStream();
            using (var writer = new Utf8JsonWriter(header))
            {
                writer.WriteStartObject();
                writer.WriteString("model_name", name);
                writer.WriteString("model_version", card.Version);
                if (request.Id is { } id)
                {
                    writer.WriteString("id", id);
                }
                writer.WriteStartArray("outputs");
                foreach (var output in outputs)
                {
                    var binary = request.Outputs.FirstOrDefault(o => o.Name == output.Name)?.Binary ?? request.BinaryDefault;
                    writer.WriteStartObject();
                    writer.WriteString("name", output.Name);
                    writer.WriteString("datatype", V2DataTypes.FromArray(output.Data));
                    writer.WriteStartArray("shape");
                    foreach (var d in output.Shape)
                    {
                        writer.WriteNumberValue(d);
                    }
                    writer.WriteEndArray();
                    if (binary)
                    {
                        var bytes = V2DataTypes.ToBytes(output.Data);
                        binaryParts.Add(bytes);
                        writer.WriteStartObject("parameters");
                        writer.WriteNumber("binary_data_size", bytes.Length);
                        writer.WriteEndObject();
                    }
                    else
                    {
                        writer.WritePropertyName("data");
                        V2DataTypes.WriteJson(writer, output.Data);
                    }
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            var response = httpContext.Response;
            response.StatusCode = 200;
            if (binaryParts.Count == 0)
            {
                response.ContentType = "application/json";
                response.ContentLength = header.Length;
                await response.Body.WriteAsync(header.GetBuffer().AsMemory(0, (int)header.Length), httpContext.RequestAborted).ConfigureAwait(false);
                return;
            }
            response.ContentType = "application/octet-stream";
            response.Headers[HeaderLengthHeader] = header.Length.ToString(CultureInfo.InvariantCulture);
            response.ContentLength = header.Length + binaryParts.Sum(p => (long)p.Length);
            await response.Body.WriteAsync(header.GetBuffer().AsMemory(0, (int)header.Length), httpContext.RequestAborted).ConfigureAwait(false);
            foreach (var part in binaryParts)
            {
                await response.Body.WriteAsync(part, httpContext.RequestAborted).ConfigureAwait(false);
            }
        }
    }
}
