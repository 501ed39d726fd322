using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelZoo.Server.Cloud;
using ModelZoo.Server.Tests.Infrastructure;

namespace ModelZoo.Server.Tests.Hostile;

/// <summary>
/// The server's part of the hostile-input corpus: every case is generated here at test time, runs under a timeout and
/// must end in the right 4xx/5xx in the API's own error shape, never a stack trace in the answer, never a 500 for a
/// client's mistake (the metrics must not count one either).
/// </summary>
[Collection(MobileNetCollection.Name)]
public sealed class ServerHostileCorpusTests(MobileNetHome home)
{
    private const string Predict = "/v1/models/" + MobileNetHome.Handle + ":predict";
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromMinutes(1);

    private sealed record Case(string Name, Func<HttpClient, Task<HttpResponseMessage>> Send, int Status, string? Code);

    [Fact]
    public async Task Hostile_requests_get_clean_client_errors_on_every_api()
    {
        await using var server = await RunningServer.StartAsync(home.Settings, o =>
        {
            o.Models.Add(MobileNetHome.Handle);
            o.MaxRequestBytes = 1024 * 1024;
        });
        await server.WaitReadyAsync();
        var dog = await File.ReadAllBytesAsync(MobileNetHome.DogPhoto);
        var bomb = HostileImages.DeclaredOnlyPng(60_000, 60_000);
        Case Native(string name, byte[] body, int status, string? code, string path = Predict, string? type = null) =>
            new(name, c => c.PostAsync(path, Content(body, type ?? "application/octet-stream")), status, code);
        Case Rekognition(string name, string target, byte[] body, int status, string type) =>
            new(name, c => c.SendAsync(Aws(target, body)), status, type);
        Case Vision(string name, string json, int status, string? code) =>
            new(name, c => c.PostAsync("/v1/images:annotate", Content(Encoding.UTF8.GetBytes(json), "application/json")), status, code);
        string Labels(byte[] image) => JsonSerializer.Serialize(new { Image = new { Bytes = Convert.ToBase64String(image) } });

        Case[] cases =
        [
            Native("text instead of an image", "not an image at all"u8.ToArray(), 400, "image-unsupported"),
            Native("truncated JPEG", dog[..(dog.Length * 6 / 10)], 400, "image-truncated"),
            Native("GIF header then junk", [.. "GIF89a"u8, .. new byte[64]], 400, null),
            Native("empty body", [], 400, "empty-body"),
            Native("PNG declaring 60000x60000", bomb, 400, "image-too-large"),
            Native("body over the size limit", new byte[2 * 1024 * 1024], 413, "body-too-large"),
            Native("upper-case handle", dog, 400, "invalid-handle", "/v1/models/ImageNet/Bad/handle:predict"),
            Native("unknown handle", dog, 404, null, "/v1/models/imagenet/no_such_model/classification:predict"),
            Native("missing :predict", dog, 404, "not-found", "/v1/models/" + MobileNetHome.Handle),
            Native("top is not a number", dog, 400, "bad-parameter", Predict + "?top=abc"),
            Native("min_score out of range", dog, 400, "bad-parameter", Predict + "?min_score=7"),
            Native("a catalog model nobody configured", dog, 403, "model-not-allowed", "/v1/models/coco/nanodet/detection:predict"),
            Native("multipart without a file", "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nv\r\n--b--\r\n"u8.ToArray(), 400, "no-file",
                type: "multipart/form-data; boundary=b"),
            Native("multipart that never ends", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\nxx"u8.ToArray(), 400, null,
                type: "multipart/form-data; boundary=b"),
            Rekognition("invalid JSON", "RekognitionService.DetectLabels", "{\"Image\":"u8.ToArray(), 400, "SerializationException"),
            Rekognition("JSON array", "RekognitionService.DetectLabels", "[1,2]"u8.ToArray(), 400, "SerializationException"),
            Rekognition("Bytes not base64", "RekognitionService.DetectLabels", "{\"Image\":{\"Bytes\":\"***\"}}"u8.ToArray(), 400, "InvalidImageFormatException"),
            Rekognition("unknown operation", "RekognitionService.IndexFaces", "{}"u8.ToArray(), 400, "UnknownOperationException"),
            Rekognition("PNG declaring 60000x60000", "RekognitionService.DetectLabels", Encoding.UTF8.GetBytes(Labels(bomb)), 400, "ImageTooLargeException"),
            Rekognition("MaxLabels negative", "RekognitionService.DetectLabels", Encoding.UTF8.GetBytes(
                JsonSerializer.Serialize(new { Image = new { Bytes = Convert.ToBase64String(dog) }, MaxLabels = -3 })), 400, "InvalidParameterException"),
            Vision("invalid JSON", "{\"requests\":[", 400, null),
            Vision("requests is not a list", "{\"requests\":{}}", 400, null),
        ];

        var failures = new List<string>();
        foreach (var c in cases)
        {
            HttpResponseMessage response;
            try
            {
                response = await c.Send(server.Client).WaitAsync(CaseTimeout);
            }
            catch (TimeoutException)
            {
                failures.Add($"{c.Name}: no answer within {CaseTimeout.TotalSeconds} s");
                continue;
            }
            var body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode != c.Status)
            {
                failures.Add($"{c.Name}: {(int)response.StatusCode} instead of {c.Status}: {body}");
            }
            if (LooksLikeStackTrace(body))
            {
                failures.Add($"{c.Name}: the answer holds a stack trace: {body}");
            }
            if (c.Code is { } code && !body.Contains($"\"{code}\"", StringComparison.Ordinal))
            {
                failures.Add($"{c.Name}: the answer does not name '{code}': {body}");
            }
        }

        // A Vision request whose one image is bad answers 200 with that request's own INVALID_ARGUMENT.
        var perImage = await server.Client.PostAsync("/v1/images:annotate", Content(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            requests = new[] { new { image = new { content = Convert.ToBase64String(bomb) }, features = new[] { new { type = "LABEL_DETECTION" } } } },
        })), "application/json")).WaitAsync(CaseTimeout);
        using (var vision = JsonDocument.Parse(await perImage.Content.ReadAsStringAsync()))
        {
            Assert.Equal(HttpStatusCode.OK, perImage.StatusCode);
            Assert.Equal(3, vision.RootElement.GetProperty("responses")[0].GetProperty("error").GetProperty("code").GetInt32());
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.DoesNotContain("status=\"500\"", server.Metrics);
    }

    [Fact]
    public async Task A_body_that_stalls_is_answered_408_on_every_endpoint_logged_in_one_line_and_counted_as_408()
    {
        var logs = new CapturedLogs();
        await using var server = await RunningServer.StartAsync(home.Settings, o => o.LabelsModel = MobileNetHome.Handle, logs);
        var endpoints = new (string Path, Dictionary<string, string> Headers, string Route)[]
        {
            (Predict, new() { ["Content-Type"] = "image/jpeg" }, "predict"),
            ("/", new() { ["Content-Type"] = RekognitionApi.ContentType, ["X-Amz-Target"] = "RekognitionService.DetectLabels" }, "rekognition"),
            ("/v1/images:annotate", new() { ["Content-Type"] = "application/json" }, "vision"),
        };
        // Three concurrent stalls: each announces 100 KB, sends 10 bytes and goes quiet, below Kestrel's minimum data rate.
        var answers = await Task.WhenAll(endpoints.Select(e =>
            RawHttp.SendStalledAsync(server.BaseUri, e.Path, e.Headers, "{\"x\":12345"u8.ToArray(), 100_000, timeout: CaseTimeout)));
        foreach (var (answer, endpoint) in answers.Zip(endpoints))
        {
            Assert.True(answer.Status == 408, $"{endpoint.Path}: {answer.Status} {answer.Body}");
            Assert.False(LooksLikeStackTrace(answer.Body), answer.Body);
        }
        var metrics = server.Metrics;
        foreach (var endpoint in endpoints)
        {
            Assert.Contains($"zoo_http_requests_total{{route=\"{endpoint.Route}\",status=\"408\"}} 1", metrics);
        }
        Assert.DoesNotContain("status=\"500\"", metrics);
        // One warning per stalled request, no error, and no exception (stack trace) anywhere in the log.
        var entries = logs.Entries;
        Assert.DoesNotContain(entries, e => e.Level >= LogLevel.Error);
        Assert.DoesNotContain(entries, e => e.Exception is not null && e.Level >= LogLevel.Warning);
        Assert.Equal(3, entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("body-timeout", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_body_trickled_past_the_request_timeout_is_answered_408()
    {
        await using var server = await RunningServer.StartAsync(home.Settings, o =>
        {
            o.LabelsModel = MobileNetHome.Handle;
            o.RequestTimeout = TimeSpan.FromSeconds(2);
        });
        // Fast enough for Kestrel's grace period, but the whole body would take far longer than the request timeout.
        var answer = await RawHttp.SendStalledAsync(server.BaseUri, Predict, new Dictionary<string, string> { ["Content-Type"] = "image/jpeg" },
            new byte[200], 100_000, TimeSpan.FromMilliseconds(50), CaseTimeout);
        Assert.True(answer.Status == 408, answer.Body);
        Assert.Contains("body-timeout", answer.Body);
        Assert.Contains("did not arrive within 2000 ms", answer.Body);
    }

    [Fact]
    public async Task A_signature_that_leaves_out_the_operation_cannot_be_replayed_as_another_operation()
    {
        const string accessKey = "AKIAZOOHOSTILE000001";
        const string secret = "hostile/secret/0123456789abcdefghijklmn";
        await using var server = await RunningServer.StartAsync(home.Settings, o =>
        {
            o.Models.Add(MobileNetHome.Handle);
            o.AwsAccessKey = accessKey;
            o.AwsSecretKey = secret;
        });
        await server.WaitReadyAsync();
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { Image = new { Bytes = Convert.ToBase64String(await File.ReadAllBytesAsync(MobileNetHome.DogPhoto)) } }));

        // The control: a signature over every header that matters is accepted, so the signer below is right.
        var full = Signed(server, "RekognitionService.DetectLabels", body, ["content-type", "host", "x-amz-date", "x-amz-target"], accessKey, secret);
        var accepted = await server.Client.SendAsync(full).WaitAsync(CaseTimeout);
        Assert.True(accepted.StatusCode == HttpStatusCode.OK, await accepted.Content.ReadAsStringAsync());

        // Signed over host and date only: the target can be swapped (DetectLabels replayed as DetectText). Refused.
        var replay = Signed(server, "RekognitionService.DetectText", body, ["host", "x-amz-date"], accessKey, secret);
        var refused = await server.Client.SendAsync(replay).WaitAsync(CaseTimeout);
        var text = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("InvalidSignatureException", text);
        Assert.Contains("x-amz-target", text);

        var noContentType = Signed(server, "RekognitionService.DetectLabels", body, ["host", "x-amz-date", "x-amz-target"], accessKey, secret);
        var refusedToo = await server.Client.SendAsync(noContentType).WaitAsync(CaseTimeout);
        Assert.Contains("content-type", await refusedToo.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Listening_beyond_loopback_needs_an_api_key_or_no_auth_and_only_configured_models_load_unless_pulls_are_allowed()
    {
        var options = new ZooServerOptions { Settings = home.Settings };
        var refused = Assert.Throws<ZooUsageException>(() => ZooServer.Build(options, "0.0.0.0", 0));
        Assert.Contains("ZooServerOptions.ApiKey", refused.Message);
        Assert.Contains("ZooServerOptions.NoAuth", refused.Message);
        await using (ZooServer.Build(new ZooServerOptions { Settings = home.Settings, ApiKey = "k" }, "0.0.0.0", 0))
        {
        }
        await using (ZooServer.Build(new ZooServerOptions { Settings = home.Settings, NoAuth = true }, "0.0.0.0", 0))
        {
        }

        var dog = await File.ReadAllBytesAsync(MobileNetHome.DogPhoto);
        await using var open = await RunningServer.StartAsync(home.Settings, o => o.AllowPull = true);
        // Pulls allowed, but this offline store does not hold the model: a clear 503 naming the store's error, at once.
        var started = DateTime.UtcNow;
        var missing = await open.Client.PostAsync("/v1/models/coco/nanodet/detection:predict", Content(dog, "image/jpeg")).WaitAsync(CaseTimeout);
        var text = await missing.Content.ReadAsStringAsync();
        Assert.True(missing.StatusCode == HttpStatusCode.ServiceUnavailable, text);
        Assert.Contains("coco/nanodet/detection", text);
        Assert.NotNull(missing.Headers.RetryAfter);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20), "a model that cannot be loaded must fail fast, not time out");
        Assert.False(LooksLikeStackTrace(text));
        // The pulled MobileNet serves, although nobody listed it.
        Assert.Equal(HttpStatusCode.OK, (await open.Client.PostAsync(Predict, Content(dog, "image/jpeg"))).StatusCode);
    }

    private static bool LooksLikeStackTrace(string body) =>
        body.Contains("   at ", StringComparison.Ordinal) || body.Contains(".cs:line", StringComparison.Ordinal)
        || body.Contains("--- End of", StringComparison.Ordinal);

    private static ByteArrayContent Content(byte[] body, string type)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        return content;
    }

    private static HttpRequestMessage Aws(string target, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = Content(body, RekognitionApi.ContentType) };
        request.Headers.Add("X-Amz-Target", target);
        return request;
    }

    /// <summary>A request signed with SigV4 over exactly <paramref name="signed"/> (sorted, lower-case), as a client that
    /// chose those headers would sign it.</summary>
    private static HttpRequestMessage Signed(RunningServer server, string target, byte[] body, string[] signed, string accessKey, string secret)
    {
        var request = Aws(target, body);
        var now = DateTime.UtcNow;
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        request.Headers.Add("X-Amz-Date", amzDate);
        var values = new Dictionary<string, string>
        {
            ["content-type"] = RekognitionApi.ContentType,
            ["host"] = $"{server.BaseUri.Host}:{server.BaseUri.Port}",
            ["x-amz-date"] = amzDate,
            ["x-amz-target"] = target,
        };
        var canonical = "POST\n/\n\n" + string.Concat(signed.Select(h => $"{h}:{values[h]}\n")) + "\n" + string.Join(';', signed) + "\n"
            + AwsSignatureV4.Hex(SHA256.HashData(body));
        var scope = $"{date}/us-east-1/rekognition/aws4_request";
        var toSign = $"{AwsSignatureV4.Algorithm}\n{amzDate}\n{scope}\n{AwsSignatureV4.Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var signature = AwsSignatureV4.Hex(HMACSHA256.HashData(AwsSignatureV4.SigningKey(secret, date, "us-east-1", "rekognition"), Encoding.UTF8.GetBytes(toSign)));
        request.Headers.TryAddWithoutValidation("Authorization",
            $"{AwsSignatureV4.Algorithm} Credential={accessKey}/{scope}, SignedHeaders={string.Join(';', signed)}, Signature={signature}");
        return request;
    }
}
