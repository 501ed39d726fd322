using System.Net;
using System.Text;
using System.Text.Json;
using ModelZoo.Server.Tests.Infrastructure;

namespace ModelZoo.Server.Tests.Cloud;

/// <summary>The Rekognition-compatible endpoint, driven by the real AWS CLI and by raw requests for the error shapes.</summary>
[Collection(MobileNetCollection.Name)]
public sealed class RekognitionTests(MobileNetHome home)
{
    private const string AccessKey = "AKIAZOOTESTKEY000001";
    private const string SecretKey = "zoo/test/secret/key/0123456789abcdefghij";

    [Fact]
    public async Task Aws_cli_detect_labels_gets_dog_labels_with_signatures_ignored_then_verified()
    {
        // Without configured keys any signature is accepted.
        await using (var open = await RunningServer.StartAsync(home.Settings, o => o.Models.Add(MobileNetHome.Handle)))
        {
            await open.WaitReadyAsync();
            var result = await DetectLabelsAsync(open, "AKIAANYTHINGATALL001", "any-secret-at-all");
            Assert.True(result.ExitCode == 0, result.Error);
            AssertDogLabels(result.Output);
        }

        await using var verified = await RunningServer.StartAsync(home.Settings, o =>
        {
            o.Models.Add(MobileNetHome.Handle);
            o.AwsAccessKey = AccessKey;
            o.AwsSecretKey = SecretKey;
        });
        await verified.WaitReadyAsync();

        var signed = await DetectLabelsAsync(verified, AccessKey, SecretKey);
        Assert.True(signed.ExitCode == 0, signed.Error);
        AssertDogLabels(signed.Output);

        var wrongSecret = await DetectLabelsAsync(verified, AccessKey, SecretKey + "x");
        Assert.NotEqual(0, wrongSecret.ExitCode);
        Assert.Contains("InvalidSignatureException", wrongSecret.Error);

        var wrongKey = await DetectLabelsAsync(verified, "AKIAZOOTESTKEY000002", SecretKey);
        Assert.NotEqual(0, wrongKey.ExitCode);
        Assert.Contains("UnrecognizedClientException", wrongKey.Error);

        var metrics = verified.Metrics;
        Assert.Contains("zoo_http_requests_total{route=\"rekognition\",status=\"200\"} 1", metrics);
        Assert.Contains("zoo_http_requests_total{route=\"rekognition\",status=\"400\"} 2", metrics);
    }

    [Fact]
    public async Task Errors_use_the_aws_json_shape()
    {
        await using var server = await RunningServer.StartAsync(home.Settings, o =>
        {
            o.LabelsModel = MobileNetHome.Handle;
            o.MaxRequestBytes = 300 * 1024;
        });

        var badImage = await SendAsync(server, "DetectLabels", new { Image = new { Bytes = Convert.ToBase64String("not an image"u8.ToArray()) } });
        await AssertAwsErrorAsync(badImage, "InvalidImageFormatException");

        var dog = await File.ReadAllBytesAsync(MobileNetHome.DogPhoto);
        var tooLarge = await SendAsync(server, "DetectLabels", new { Image = new { Bytes = Convert.ToBase64String([.. dog, .. dog]) } });
        await AssertAwsErrorAsync(tooLarge, "ImageTooLargeException");

        var s3 = await SendAsync(server, "DetectLabels", new { Image = new { S3Object = new { Bucket = "b", Name = "n" } } });
        await AssertAwsErrorAsync(s3, "InvalidParameterException");

        // DetectText and DetectFaces check the image before loading their models.
        var garbage = Convert.ToBase64String("still not an image"u8.ToArray());
        var text = await SendAsync(server, "DetectText", new { Image = new { Bytes = garbage } });
        await AssertAwsErrorAsync(text, "InvalidImageFormatException");

        var faces = await SendAsync(server, "DetectFaces", new { Image = new { Bytes = garbage }, Attributes = new[] { "ALL" } });
        await AssertAwsErrorAsync(faces, "InvalidImageFormatException");

        var badAttributes = await SendAsync(server, "DetectFaces", new { Image = new { Bytes = garbage }, Attributes = "ALL" });
        await AssertAwsErrorAsync(badAttributes, "InvalidParameterException");

        var badFilter = await SendAsync(server, "DetectText", new { Image = new { Bytes = garbage }, Filters = new { WordFilter = new { MinConfidence = 101 } } });
        Assert.Contains("MinConfidence", await AssertAwsErrorAsync(badFilter, "InvalidParameterException"));

        var unknown = await SendAsync(server, "DeleteCollection", new { CollectionId = "x" });
        await AssertAwsErrorAsync(unknown, "UnknownOperationException");

        var ok = await SendAsync(server, "DetectLabels", new { Image = new { Bytes = Convert.ToBase64String(dog) }, MaxLabels = 2, MinConfidence = 0 });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("application/x-amz-json-1.1", ok.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await ok.Content.ReadAsStringAsync());
        Assert.Equal(2, document.RootElement.GetProperty("Labels").GetArrayLength());
        Assert.Equal($"{MobileNetHome.Handle}@1", document.RootElement.GetProperty("LabelModelVersion").GetString());
    }

    private static Task<AwsCli.Result> DetectLabelsAsync(RunningServer server, string accessKey, string secretKey) =>
        AwsCli.RunAsync(accessKey, secretKey, "rekognition", "detect-labels",
            "--endpoint-url", server.BaseUri.ToString().TrimEnd('/'), "--region", "us-east-1",
            "--image-bytes", "fileb://" + MobileNetHome.DogPhoto, "--max-labels", "5", "--min-confidence", "1", "--output", "json");

    private static void AssertDogLabels(string json)
    {
        using var document = JsonDocument.Parse(json);
        var labels = document.RootElement.GetProperty("Labels").EnumerateArray().ToList();
        Assert.InRange(labels.Count, 1, 5);
        Assert.All(labels, l =>
        {
            Assert.InRange(l.GetProperty("Confidence").GetSingle(), 1f, 100f);
            Assert.Equal(0, l.GetProperty("Instances").GetArrayLength());
            Assert.Equal(0, l.GetProperty("Parents").GetArrayLength());
        });
        Assert.True(labels.Zip(labels.Skip(1)).All(p => p.First.GetProperty("Confidence").GetSingle() >= p.Second.GetProperty("Confidence").GetSingle()));
        Assert.StartsWith(MobileNetHome.Handle, document.RootElement.GetProperty("LabelModelVersion").GetString());
    }

    private static Task<HttpResponseMessage> SendAsync(RunningServer server, string operation, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/x-amz-json-1.1"),
        };
        request.Headers.Add("X-Amz-Target", "RekognitionService." + operation);
        return server.Client.SendAsync(request);
    }

    private static async Task<string> AssertAwsErrorAsync(HttpResponseMessage response, string type)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(type, document.RootElement.GetProperty("__type").GetString());
        var message = document.RootElement.GetProperty("message").GetString();
        Assert.False(string.IsNullOrWhiteSpace(message));
        return message!;
    }
}
