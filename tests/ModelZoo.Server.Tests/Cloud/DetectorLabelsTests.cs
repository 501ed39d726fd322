using System.Net;
using System.Text;
using System.Text.Json;
using ModelZoo.Server.Tests.Infrastructure;
using ModelZoo.Tests;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Server.Tests.Cloud;

/// <summary>
/// A server configured with only a detector (what an offline user has): Rekognition DetectLabels, driven by the real
/// AWS CLI, and Vision LABEL_DETECTION answer with the detected classes, one label per class with its instances.
/// </summary>
public sealed class DetectorLabelsTests : IAsyncLifetime
{
    private const string Detector = "coco/nanodet/detection";
    private RunningServer? _server;

    private RunningServer Server => _server!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(SharedStore.Settings, o =>
        {
            o.Models.Add(Detector);
            o.Session = new Runtime.SessionSettings { IntraOpThreads = 1 };
            o.RequestTimeout = TimeSpan.FromMinutes(3);
        });
        await Server.WaitReadyAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Theory]
    // horses.jpg (773×512): five horses across the field; person.jpg (640×424): a person, a dog and a horse.
    [InlineData("darknet/horses.jpg", new[] { "Horse" }, 2)]
    [InlineData("darknet/person.jpg", new[] { "Person", "Dog", "Horse" }, 1)]
    public async Task Aws_cli_detect_labels_with_only_a_detector_gives_the_detected_classes_with_instances(string photo, string[] classes, int minInstances)
    {
        // No --min-confidence: the defaults a user gets.
        var result = await AwsCli.RunAsync("AKIAANYTHINGATALL001", "any-secret-at-all", "rekognition", "detect-labels",
            "--endpoint-url", Server.BaseUri.ToString().TrimEnd('/'), "--region", "us-east-1", "--output", "json",
            "--image-bytes", "fileb://" + TestAssets.Image(photo));
        Assert.True(result.ExitCode == 0, $"aws rekognition detect-labels failed: {result.Error}");
        using var document = JsonDocument.Parse(result.Output);
        Assert.Equal(Detector + "@1", document.RootElement.GetProperty("LabelModelVersion").GetString());
        var labels = document.RootElement.GetProperty("Labels").EnumerateArray().ToList();
        var names = labels.Select(l => l.GetProperty("Name").GetString()!).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        foreach (var name in classes)
        {
            Assert.Contains(name, names);
        }
        Assert.True(labels.Zip(labels.Skip(1)).All(p => p.First.GetProperty("Confidence").GetSingle() >= p.Second.GetProperty("Confidence").GetSingle()),
            "labels come most confident first");
        foreach (var label in labels)
        {
            var instances = label.GetProperty("Instances").EnumerateArray().ToList();
            Assert.NotEmpty(instances);
            // A label's confidence is its best instance's.
            Assert.Equal(instances.Max(i => i.GetProperty("Confidence").GetSingle()), label.GetProperty("Confidence").GetSingle(), 3);
            foreach (var instance in instances)
            {
                var box = instance.GetProperty("BoundingBox");
                var (left, top, width, height) = (box.GetProperty("Left").GetSingle(), box.GetProperty("Top").GetSingle(),
                    box.GetProperty("Width").GetSingle(), box.GetProperty("Height").GetSingle());
                Assert.InRange(width, 0.02f, 1f);
                Assert.InRange(height, 0.02f, 1f);
                Assert.InRange(left, -0.01f, 1f - width + 0.01f);
                Assert.InRange(top, -0.01f, 1f - height + 0.01f);
            }
        }
        var main = labels.Single(l => l.GetProperty("Name").GetString() == classes[0]);
        Assert.True(main.GetProperty("Instances").GetArrayLength() >= minInstances,
            $"{classes[0]} should have at least {minInstances} instances; got {main.GetProperty("Instances").GetArrayLength()}");
    }

    [Fact]
    public async Task Vision_label_detection_with_only_a_detector_labels_the_detected_classes()
    {
        var image = Convert.ToBase64String(await File.ReadAllBytesAsync(TestAssets.Image("darknet/person.jpg")));
        var body = JsonSerializer.Serialize(new { requests = new[] { new { image = new { content = image }, features = new[] { new { type = "LABEL_DETECTION", maxResults = 10 } } } } });
        var response = await Server.Client.PostAsync("/v1/images:annotate", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var document = JsonDocument.Parse(text);
        var labels = document.RootElement.GetProperty("responses")[0].GetProperty("labelAnnotations").EnumerateArray()
            .Select(l => (Name: l.GetProperty("description").GetString()!, Score: l.GetProperty("score").GetSingle())).ToList();
        Assert.Contains("Person", labels.Select(l => l.Name));
        Assert.Contains("Horse", labels.Select(l => l.Name));
        Assert.Equal(labels.Count, labels.Select(l => l.Name).Distinct().Count());
        Assert.All(labels, l => Assert.InRange(l.Score, 0.2f, 1f));
    }
}
