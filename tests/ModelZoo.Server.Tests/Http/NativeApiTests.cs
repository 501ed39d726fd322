using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelZoo.Server.Adapters;
using ModelZoo.Server.Tests.Infrastructure;
using ModelZoo.Tasks;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Server.Tests.Http;

[Collection(MobileNetCollection.Name)]
public sealed class NativeApiTests(MobileNetHome home)
{
    private const string PredictPath = "/v1/models/" + MobileNetHome.Handle + ":predict";

    [Fact]
    public async Task Predict_classifies_the_dog_photo_from_a_raw_body_and_from_a_multipart_form()
    {
        await using var server = await RunningServer.StartAsync(home.Settings, o => o.Models.Add(MobileNetHome.Handle));
        await server.WaitReadyAsync();
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/readyz")).StatusCode);

        var bytes = await File.ReadAllBytesAsync(MobileNetHome.DogPhoto);
        using var raw = new ByteArrayContent(bytes);
        raw.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        var response = await server.Client.PostAsync(PredictPath + "?top=3", raw);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var predictions = Predictions(await response.Content.ReadAsStringAsync());
        Assert.Equal(3, predictions.Count);
        // ImageNet dog breeds occupy indices 151–268.
        Assert.InRange(predictions[0].Index, 151, 268);
        Assert.True(predictions.Zip(predictions.Skip(1)).All(p => p.First.Score >= p.Second.Score), "predictions must be sorted by score");
        Assert.All(predictions, p => Assert.False(string.IsNullOrWhiteSpace(p.Label)));

        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "file", "dog.jpg");
        var multipart = await server.Client.PostAsync(PredictPath, form);
        Assert.Equal(HttpStatusCode.OK, multipart.StatusCode);
        var fromForm = Predictions(await multipart.Content.ReadAsStringAsync());
        Assert.Equal(5, fromForm.Count);
        Assert.Equal(predictions[0].Index, fromForm[0].Index);
        Assert.Equal(predictions[0].Score, fromForm[0].Score, 4);
    }

    [Fact]
    public async Task Models_list_and_detail_show_the_loaded_classifier_and_the_openapi_document_describes_the_api()
    {
        await using var server = await RunningServer.StartAsync(home.Settings, o => o.Models.Add(MobileNetHome.Handle));
        await server.WaitReadyAsync();

        using var list = JsonDocument.Parse(await server.Client.GetStringAsync("/v1/models"));
        var models = list.RootElement.GetProperty("models").EnumerateArray().ToList();
        var mobileNet = Assert.Single(models, m => m.GetProperty("handle").GetString() == MobileNetHome.Handle);
        Assert.True(mobileNet.GetProperty("loaded").GetBoolean());
        Assert.True(mobileNet.GetProperty("cached").GetBoolean());
        Assert.Equal("image-classification", mobileNet.GetProperty("task").GetString());
        // Only tasks with an adapter are listed: the registered descriptors' tasks, OCR's text detection and text embedding.
        var served = TaskEndpointRegistry.CreateDefault().Tasks.Select(TaskNames.Of).ToList();
        Assert.Contains("text-detection", served);
        Assert.All(models, m => Assert.Contains(m.GetProperty("task").GetString(), served));
        Assert.DoesNotContain(models, m => m.GetProperty("task").GetString() == "question-answering");

        using var detail = JsonDocument.Parse(await server.Client.GetStringAsync("/v1/models/" + MobileNetHome.Handle));
        Assert.Equal(1000, detail.RootElement.GetProperty("labels").GetInt32());

        using var openApi = JsonDocument.Parse(await server.Client.GetStringAsync("/openapi/v1.json"));
        var paths = openApi.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/v1/models", out _), "the OpenAPI document should describe GET /v1/models");
        Assert.True(paths.TryGetProperty("/v1/images:annotate", out _), "the OpenAPI document should describe the Vision endpoint");
    }

    [Fact]
    public async Task The_openapi_document_publishes_each_served_task_s_answer_and_real_answers_and_errors_conform()
    {
        await using var server = await RunningServer.StartAsync(home.Settings, o => o.Models.Add(MobileNetHome.Handle));
        await server.WaitReadyAsync();
        var text = await server.Client.GetStringAsync("/openapi/v1.json");
        var document = JsonNode.Parse(text)!;
        Assert.StartsWith("3.1", document["openapi"]!.GetValue<string>());
        // A client generator reads it: the OpenAPI.NET reader, with its default validation rules, finds nothing wrong.
        var read = Microsoft.OpenApi.OpenApiDocument.Parse(text, "json");
        var problems = (read.Diagnostic?.Errors ?? []).Concat(read.Diagnostic?.Warnings ?? []).Select(e => $"{e.Pointer}: {e.Message}").ToList();
        Assert.True(read.Diagnostic is not null && problems.Count == 0, string.Join("\n", problems));
        Assert.NotNull(read.Document?.Components?.Schemas?["ObjectDetectionResponse"]);

        var predict = document["paths"]!["/v1/models/{path}"]!["post"]!;
        var answers = predict["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["oneOf"]!.AsArray()
            .Select(r => r!["$ref"]!.GetValue<string>()).ToList();
        var expected = TaskEndpointRegistry.CreateDefault().Tasks.Select(t => $"#/components/schemas/{t}Response").ToList();
        Assert.Equal(expected, answers);
        Assert.Equal("#/components/schemas/Error", predict["responses"]!["default"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Equal(["top", "min_score"], predict["parameters"]!.AsArray()
            .Where(p => p!["in"]!.GetValue<string>() == "query").Select(p => p!["name"]!.GetValue<string>()));
        Assert.Contains("multipart/form-data", predict["requestBody"]!["content"]!.AsObject().Select(c => c.Key));

        using var raw = new ByteArrayContent(await File.ReadAllBytesAsync(MobileNetHome.DogPhoto));
        var answer = await (await server.Client.PostAsync(PredictPath + "?top=3", raw)).Content.ReadAsStringAsync();
        await PublishedSchemas.AssertPredictAnswerAsync(server, MobileNetHome.Handle, answer);
        // An answer of another task's shape does not pass as this one's.
        var detections = await PublishedSchemas.ComponentAsync(server, "ObjectDetectionResponse");
        Assert.NotEmpty(JsonSchemaCheck.Errors(detections, answer));

        var list = JsonSchemaCheck.Inline(document, document["paths"]!["/v1/models"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!);
        Assert.Empty(JsonSchemaCheck.Errors(list, await server.Client.GetStringAsync("/v1/models")));
        var summary = await PublishedSchemas.ComponentAsync(server, "ModelSummary");
        Assert.Empty(JsonSchemaCheck.Errors(summary, await server.Client.GetStringAsync("/v1/models/" + MobileNetHome.Handle)));

        var error = await PublishedSchemas.ComponentAsync(server, "Error");
        var unknown = await server.Client.PostAsync("/v1/models/imagenet/no_such_model/classification:predict", new ByteArrayContent([1, 2, 3]));
        Assert.Empty(JsonSchemaCheck.Errors(error, await unknown.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Metrics_carry_the_time_per_stage_of_each_predicted_model()
    {
        await using var server = await RunningServer.StartAsync(home.Settings, o => o.Models.Add(MobileNetHome.Handle));
        await server.WaitReadyAsync();
        // The warm-up prediction may already be counted; the two requests below must add two images to every stage.
        var before = StageSeries(server.Metrics);
        var bytes = await File.ReadAllBytesAsync(MobileNetHome.DogPhoto);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await server.Client.PostAsync(PredictPath, new ByteArrayContent(bytes))).StatusCode);
        }

        var metrics = server.Metrics;
        var after = StageSeries(metrics);
        foreach (var stage in new[] { "decode", "preprocess", "inference", "postprocess" })
        {
            Assert.True(after.TryGetValue(stage, out var now), $"no {stage} stage for the model in:\n{metrics}");
            var earlier = before.GetValueOrDefault(stage);
            Assert.Equal(2, now.Count - earlier.Count);
            Assert.True(now.Seconds > earlier.Seconds, $"{stage}: {earlier.Seconds} s before two predictions, {now.Seconds} s after");
        }
    }

    private static Dictionary<string, (double Seconds, long Count)> StageSeries(string metrics)
    {
        var series = new Dictionary<string, (double Seconds, long Count)>(StringComparer.Ordinal);
        var prefix = $"{{model=\"{MobileNetHome.Handle}\",stage=\"";
        foreach (var line in metrics.Split('\n'))
        {
            foreach (var (name, isSum) in new[] { ("zoo_stage_seconds_sum", true), ("zoo_stage_seconds_count", false) })
            {
                if (!line.StartsWith(name + prefix, StringComparison.Ordinal))
                {
                    continue;
                }
                var rest = line[(name.Length + prefix.Length)..];
                var stage = rest[..rest.IndexOf('"', StringComparison.Ordinal)];
                var value = double.Parse(rest[(rest.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
                var current = series.GetValueOrDefault(stage);
                series[stage] = isSum ? (value, current.Count) : (current.Seconds, (long)value);
            }
        }
        return series;
    }

    [Fact]
    public async Task Api_key_is_required_when_configured_and_accepted_as_bearer_or_header()
    {
        await using var server = await RunningServer.StartAsync(home.Settings, o =>
        {
            o.ApiKey = "s3cret-key";
            o.AllowPull = true;
        });

        var missing = await server.Client.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("unauthorized", ErrorCode(await missing.Content.ReadAsStringAsync()));

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/v1/models") { Headers = { { "X-Api-Key", "s3cret-kez" } } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.SendAsync(wrong)).StatusCode);

        using var bearer = new HttpRequestMessage(HttpMethod.Get, "/v1/models") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-key") } };
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(bearer)).StatusCode);

        using var header = new HttpRequestMessage(HttpMethod.Post, PredictPath)
        {
            Headers = { { "X-Api-Key", "s3cret-key" } },
            Content = new ByteArrayContent(await File.ReadAllBytesAsync(MobileNetHome.DogPhoto)),
        };
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(header)).StatusCode);

        // Health, readiness and metrics stay open for probes and scrapers.
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Bad_requests_get_the_right_status_and_error_code()
    {
        await using var server = await RunningServer.StartAsync(home.Settings, o => o.MaxRequestBytes = 64 * 1024);
        var dog = await File.ReadAllBytesAsync(MobileNetHome.DogPhoto);
        Assert.True(dog.Length > 64 * 1024, "the dog photo should be larger than the test's body limit");

        var tooLarge = await server.Client.PostAsync(PredictPath, new ByteArrayContent(dog));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("body-too-large", ErrorCode(await tooLarge.Content.ReadAsStringAsync()));

        var unknown = await server.Client.PostAsync("/v1/models/imagenet/no_such_model/classification:predict", new ByteArrayContent([1, 2, 3]));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("model-not-found", ErrorCode(await unknown.Content.ReadAsStringAsync()));

        // Clients name catalog handles only: paths, encoded traversal and sources are not handles.
        foreach (var handle in new[] { "imagenet/..%2F..%2Fetc%2Fpasswd", "file:%2Fetc%2Fpasswd", "Imagenet/MobileNet" })
        {
            var bad = await server.Client.PostAsync($"/v1/models/{handle}:predict", new ByteArrayContent([1, 2, 3]));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("invalid-handle", ErrorCode(await bad.Content.ReadAsStringAsync()));
        }

        var notAnImage = await server.Client.PostAsync(PredictPath, new ByteArrayContent("this is not an image"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, notAnImage.StatusCode);
        Assert.Equal("image-unsupported", ErrorCode(await notAnImage.Content.ReadAsStringAsync()));

        var truncated = await server.Client.PostAsync(PredictPath, new ByteArrayContent(dog[..4096]));
        Assert.Equal(HttpStatusCode.BadRequest, truncated.StatusCode);

        var badTop = await server.Client.PostAsync(PredictPath + "?top=0", new ByteArrayContent([1, 2, 3]));
        Assert.Equal(HttpStatusCode.BadRequest, badTop.StatusCode);
        Assert.Equal("bad-parameter", ErrorCode(await badTop.Content.ReadAsStringAsync()));

        var questions = await server.Client.PostAsync("/v1/models/ocr/ppocrv4/rec:predict", new ByteArrayContent([1, 2, 3]));
        Assert.Equal(HttpStatusCode.BadRequest, questions.StatusCode);
        Assert.Equal("model-not-servable", ErrorCode(await questions.Content.ReadAsStringAsync()));

        var noVerb = await server.Client.PostAsync("/v1/models/" + MobileNetHome.Handle, new ByteArrayContent([1, 2, 3]));
        Assert.Equal(HttpStatusCode.NotFound, noVerb.StatusCode);

        var metrics = server.Metrics;
        Assert.Contains("zoo_http_requests_total{route=\"predict\",status=\"413\"} 1", metrics);
        Assert.Contains("zoo_http_requests_total{route=\"predict\",status=\"404\"} 2", metrics);
    }

    internal static List<(string Label, int Index, float Score)> Predictions(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("predictions").EnumerateArray()
            .Select(p => (p.GetProperty("label").GetString()!, p.GetProperty("index").GetInt32(), p.GetProperty("score").GetSingle()))
            .ToList();
    }

    internal static string? ErrorCode(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("error").GetProperty("code").GetString();
    }
}
