using System.Text.Json;
using ModelZoo.Server.Tests.Infrastructure;

namespace ModelZoo.Server.Tests.Cloud;

/// <summary>DetectLabels with instances, DetectText and DetectFaces through the real AWS CLI, on real models.</summary>
[Collection(RealModelsCollection.Name)]
public sealed class RekognitionRealModelTests(RealModelsServer fixture)
{
    [Fact]
    public async Task Aws_cli_detect_labels_adds_bicycle_and_dog_instances_from_the_detector()
    {
        using var document = await RunAsync("detect-labels", "--image-bytes", "fileb://" + RealModelsServer.Dog,
            "--max-labels", "20", "--min-confidence", "30");
        var labels = document.RootElement.GetProperty("Labels").EnumerateArray().ToDictionary(l => l.GetProperty("Name").GetString()!);
        foreach (var name in new[] { "Bicycle", "Dog" })
        {
            Assert.True(labels.ContainsKey(name), $"{name} should be a label; got {string.Join(", ", labels.Keys)}");
            var instance = labels[name].GetProperty("Instances").EnumerateArray().First();
            var box = instance.GetProperty("BoundingBox");
            foreach (var side in new[] { "Width", "Height", "Left", "Top" })
            {
                Assert.InRange(box.GetProperty(side).GetSingle(), 0f, 1f);
            }
            Assert.InRange(instance.GetProperty("Confidence").GetSingle(), 30f, 100f);
            Assert.True(labels[name].GetProperty("Confidence").GetSingle() >= instance.GetProperty("Confidence").GetSingle());
        }
        // The dog sits in the lower left quarter of the photo (768×576, dog at about x 131–357, y 223–539).
        var dog = labels["Dog"].GetProperty("Instances")[0].GetProperty("BoundingBox");
        Assert.InRange(dog.GetProperty("Left").GetSingle(), 0.1f, 0.25f);
        Assert.InRange(dog.GetProperty("Top").GetSingle(), 0.3f, 0.5f);
        // The classifier still names the breed; its labels carry no boxes.
        Assert.Contains(labels.Values, l => l.GetProperty("Instances").GetArrayLength() == 0);
    }

    [Fact]
    public async Task Aws_cli_detect_text_gives_lines_then_words_with_parents_and_ratio_geometry()
    {
        string[] lines = ["Total 1250.00", "Order number 60613"];
        var path = TextImage.Save(TextImage.RenderPng(lines), "detect-text.png");
        using var document = await RunAsync("detect-text", "--image-bytes", "fileb://" + path);
        var detections = document.RootElement.GetProperty("TextDetections").EnumerateArray().ToList();
        var lineEntries = detections.Where(d => d.GetProperty("Type").GetString() == "LINE").ToList();
        var words = detections.Where(d => d.GetProperty("Type").GetString() == "WORD").ToList();
        Assert.Equal(detections.Count, lineEntries.Count + words.Count);
        Assert.Equal(lines.Select(TextImage.Squeeze), lineEntries.Select(l => TextImage.Squeeze(l.GetProperty("DetectedText").GetString()!)));
        Assert.Equal([0, 1], lineEntries.Select(l => l.GetProperty("Id").GetInt32()));
        Assert.All(lineEntries, l => Assert.False(l.TryGetProperty("ParentId", out _)));
        // Lines come first, then words, each word pointing at its line and together spelling it.
        Assert.True(detections.FindIndex(d => d.GetProperty("Type").GetString() == "WORD") == lineEntries.Count);
        for (var i = 0; i < lineEntries.Count; i++)
        {
            var spelled = string.Concat(words.Where(w => w.GetProperty("ParentId").GetInt32() == i).Select(w => w.GetProperty("DetectedText").GetString()));
            Assert.Equal(TextImage.Squeeze(lineEntries[i].GetProperty("DetectedText").GetString()!), TextImage.Squeeze(spelled));
        }
        Assert.Equal(Enumerable.Range(2, words.Count), words.Select(w => w.GetProperty("Id").GetInt32()));
        foreach (var entry in detections)
        {
            Assert.InRange(entry.GetProperty("Confidence").GetSingle(), 50f, 100f);
            var geometry = entry.GetProperty("Geometry");
            var box = geometry.GetProperty("BoundingBox");
            Assert.InRange(box.GetProperty("Left").GetSingle(), 0f, 1f);
            Assert.InRange(box.GetProperty("Top").GetSingle(), 0f, 1f);
            Assert.InRange(box.GetProperty("Width").GetSingle(), 0.01f, 1f);
            Assert.InRange(box.GetProperty("Height").GetSingle(), 0.05f, 0.6f);
            var polygon = geometry.GetProperty("Polygon").EnumerateArray().ToList();
            Assert.Equal(4, polygon.Count);
            Assert.All(polygon, p =>
            {
                Assert.InRange(p.GetProperty("X").GetSingle(), -0.02f, 1.02f);
                Assert.InRange(p.GetProperty("Y").GetSingle(), -0.02f, 1.02f);
            });
        }
        Assert.Equal(RealModelsServer.Ocr + "@1", document.RootElement.GetProperty("TextModelVersion").GetString());
    }

    [Fact]
    public async Task Aws_cli_detect_faces_finds_the_astronaut_with_landmarks_and_with_ALL_her_attributes()
    {
        using var plain = await RunAsync("detect-faces", "--image-bytes", "fileb://" + RealModelsServer.Astronaut);
        var basic = Assert.Single(plain.RootElement.GetProperty("FaceDetails").EnumerateArray());
        Assert.False(basic.TryGetProperty("AgeRange", out _), "default attributes leave the age out");
        Assert.False(basic.TryGetProperty("Emotions", out _));

        using var all = await RunAsync("detect-faces", "--image-bytes", "fileb://" + RealModelsServer.Astronaut, "--attributes", "ALL");
        var face = Assert.Single(all.RootElement.GetProperty("FaceDetails").EnumerateArray());
        Assert.InRange(face.GetProperty("Confidence").GetSingle(), 50f, 100f);
        var box = face.GetProperty("BoundingBox");
        var expected = RealModelsServer.AstronautFace;
        Assert.InRange(box.GetProperty("Left").GetSingle(), (expected.X - 30) / 512, (expected.X + 30) / 512);
        Assert.InRange(box.GetProperty("Top").GetSingle(), (expected.Y - 30) / 512, (expected.Y + 30) / 512);
        Assert.InRange(box.GetProperty("Width").GetSingle(), 0.15f, 0.3f);

        var landmarks = face.GetProperty("Landmarks").EnumerateArray().ToDictionary(l => l.GetProperty("Type").GetString()!,
            l => (X: l.GetProperty("X").GetSingle(), Y: l.GetProperty("Y").GetSingle()));
        Assert.Equal(["eyeLeft", "eyeRight", "nose"], landmarks.Keys.Order());
        Assert.True(landmarks["eyeLeft"].X < landmarks["eyeRight"].X, "eyeLeft is the eye on the image's left");
        Assert.True(landmarks["nose"].Y > landmarks["eyeLeft"].Y, "the nose is below the eyes");
        Assert.InRange(landmarks["nose"].X, box.GetProperty("Left").GetSingle(), box.GetProperty("Left").GetSingle() + box.GetProperty("Width").GetSingle());

        var age = face.GetProperty("AgeRange");
        Assert.InRange(age.GetProperty("Low").GetInt32(), 5, 60);
        Assert.InRange(age.GetProperty("High").GetInt32() - age.GetProperty("Low").GetInt32(), 8, 30);
        Assert.Contains(face.GetProperty("Gender").GetProperty("Value").GetString(), new[] { "Male", "Female" });
        Assert.InRange(face.GetProperty("Gender").GetProperty("Confidence").GetSingle(), 50f, 100f);
        var emotions = face.GetProperty("Emotions").EnumerateArray().ToList();
        var types = emotions.Select(e => e.GetProperty("Type").GetString()).ToList();
        Assert.Equal(["ANGRY", "CALM", "DISGUSTED", "FEAR", "HAPPY", "SAD", "SURPRISED"], types.Order());
        Assert.Equal("HAPPY", types[0]);
        Assert.True(emotions.Zip(emotions.Skip(1)).All(p => p.First.GetProperty("Confidence").GetSingle() >= p.Second.GetProperty("Confidence").GetSingle()));
    }

    private async Task<JsonDocument> RunAsync(string operation, params string[] args)
    {
        var result = await AwsCli.RunAsync("AKIAANYTHINGATALL001", "any-secret-at-all",
            ["rekognition", operation, "--endpoint-url", fixture.Server.BaseUri.ToString().TrimEnd('/'), "--region", "us-east-1", "--output", "json", .. args]);
        Assert.True(result.ExitCode == 0, $"aws rekognition {operation} failed: {result.Error}");
        return JsonDocument.Parse(result.Output);
    }
}
