using System.Text;
using System.Text.Json;
using ModelZoo.Server.Tests.Infrastructure;

namespace ModelZoo.Server.Tests.Cloud;

/// <summary>Vision OBJECT_LOCALIZATION, TEXT_DETECTION and FACE_DETECTION on real models, three images in one call.</summary>
[Collection(RealModelsCollection.Name)]
public sealed class VisionFeatureTests(RealModelsServer fixture)
{
    [Fact]
    public async Task Objects_of_a_jpeg_decoded_at_a_dct_scale_are_where_the_detector_puts_them_on_the_full_photo()
    {
        // dog.jpg (768 × 576) decodes at 5/8 for NanoDet's 416: the normalised boxes must still be the full photo's.
        var path = ModelZoo.Tests.TestAssets.Image("darknet/dog.jpg");
        using var store = new Store.ModelStore(ModelZoo.Tests.Infrastructure.SharedStore.Settings);
        var catalog = Catalog.ModelCatalog.Load(ModelZoo.Tests.Infrastructure.SharedStore.Settings);
        using var detector = Tasks.ObjectDetector.Open(await store.OpenAsync(catalog.Get(RealModelsServer.Detector)));
        using var image = Imaging.ImageDecoder.Decode(path);
        var reference = detector.Detect(image).Where(d => d.Score >= 0.4f).ToList();
        Assert.True(reference.Count >= 2, $"{reference.Count} clear detections in dog.jpg");

        var body = JsonSerializer.Serialize(new
        {
            requests = new[]
            {
                new { image = new { content = Convert.ToBase64String(await File.ReadAllBytesAsync(path)) },
                    features = new[] { new { type = "OBJECT_LOCALIZATION", maxResults = 10 } } },
            },
        });
        var response = await fixture.Server.Client.PostAsync("/v1/images:annotate", new StringContent(body, Encoding.UTF8, "application/json"));
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, json);
        using var document = JsonDocument.Parse(json);
        var boxes = document.RootElement.GetProperty("responses")[0].GetProperty("localizedObjectAnnotations").EnumerateArray().Select(o =>
        {
            var v = o.GetProperty("boundingPoly").GetProperty("normalizedVertices");
            var (x0, y0) = (v[0].GetProperty("x").GetSingle() * image.Width, v[0].GetProperty("y").GetSingle() * image.Height);
            var (x1, y1) = (v[2].GetProperty("x").GetSingle() * image.Width, v[2].GetProperty("y").GetSingle() * image.Height);
            return new Tasks.BoundingBox(x0, y0, x1 - x0, y1 - y0);
        }).ToList();
        foreach (var r in reference)
        {
            var best = boxes.Select(b => b.IntersectionOverUnion(r.Box)).DefaultIfEmpty(0).Max();
            Assert.True(best >= 0.9f, $"{r.Label} at {r.Box}: best IoU {best:0.00} among {string.Join(", ", boxes)}");
        }
    }

    [Fact]
    public async Task Annotate_answers_objects_text_and_faces_in_the_vision_response_shapes()
    {
        string[] lines = ["Total 1250.00", "Order number 60613"];
        var text = TextImage.RenderPng(lines);
        var body = JsonSerializer.Serialize(new
        {
            requests = new object[]
            {
                new { image = new { content = Convert.ToBase64String(await File.ReadAllBytesAsync(RealModelsServer.Dog)) },
                    features = new[] { new { type = "OBJECT_LOCALIZATION", maxResults = 3 } } },
                new { image = new { content = Convert.ToBase64String(text) }, features = new[] { new { type = "TEXT_DETECTION", maxResults = 10 } } },
                new { image = new { content = Convert.ToBase64String(await File.ReadAllBytesAsync(RealModelsServer.Astronaut)) },
                    features = new[] { new { type = "FACE_DETECTION", maxResults = 5 } } },
            },
        });
        var response = await fixture.Server.Client.PostAsync("/v1/images:annotate", new StringContent(body, Encoding.UTF8, "application/json"));
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, json);
        using var document = JsonDocument.Parse(json);
        var responses = document.RootElement.GetProperty("responses").EnumerateArray().ToList();
        Assert.Equal(3, responses.Count);

        var objects = responses[0].GetProperty("localizedObjectAnnotations").EnumerateArray().ToList();
        Assert.Equal(3, objects.Count);
        Assert.Contains(objects, o => o.GetProperty("name").GetString() == "Bicycle");
        Assert.Contains(objects, o => o.GetProperty("name").GetString() == "Dog");
        foreach (var o in objects)
        {
            Assert.Equal("", o.GetProperty("mid").GetString());
            Assert.InRange(o.GetProperty("score").GetSingle(), 0f, 1f);
            var v = o.GetProperty("boundingPoly").GetProperty("normalizedVertices").EnumerateArray()
                .Select(p => (X: p.GetProperty("x").GetSingle(), Y: p.GetProperty("y").GetSingle())).ToList();
            Assert.Equal(4, v.Count);
            Assert.All(v, p => Assert.True(p.X is >= 0f and <= 1f && p.Y is >= 0f and <= 1f, $"{p} is not normalised"));
            // Clockwise from the top left.
            Assert.True(v[0].X < v[1].X && v[0].Y == v[1].Y && v[1].X == v[2].X && v[2].Y > v[1].Y && v[3].X == v[0].X);
        }

        var annotations = responses[1].GetProperty("textAnnotations").EnumerateArray().ToList();
        Assert.Equal(lines.Select(TextImage.Squeeze), annotations[0].GetProperty("description").GetString()!.Split('\n').Select(TextImage.Squeeze));
        Assert.Equal(TextImage.Squeeze(string.Concat(lines)), TextImage.Squeeze(string.Concat(annotations.Skip(1).Select(a => a.GetProperty("description").GetString()))));
        var (width, height) = (lines.Max(l => l.Length) * 40, 200);
        foreach (var a in annotations)
        {
            var vertices = a.GetProperty("boundingPoly").GetProperty("vertices").EnumerateArray().ToList();
            Assert.Equal(4, vertices.Count);
            Assert.All(vertices, p =>
            {
                // Whole pixels, inside the rendered image.
                Assert.Equal(JsonValueKind.Number, p.GetProperty("x").ValueKind);
                Assert.InRange(p.GetProperty("x").GetInt32(), 0, width);
                Assert.InRange(p.GetProperty("y").GetInt32(), 0, height);
            });
        }
        var whole = annotations[0].GetProperty("boundingPoly").GetProperty("vertices");
        Assert.True(whole[2].GetProperty("y").GetInt32() > annotations[^1].GetProperty("boundingPoly").GetProperty("vertices")[0].GetProperty("y").GetInt32(),
            "the first annotation's polygon encloses the last word");
        Assert.Equal(annotations[0].GetProperty("description").GetString() + "\n",
            responses[1].GetProperty("fullTextAnnotation").GetProperty("text").GetString());

        var face = Assert.Single(responses[2].GetProperty("faceAnnotations").EnumerateArray());
        var poly = face.GetProperty("boundingPoly").GetProperty("vertices").EnumerateArray().ToList();
        Assert.Equal(4, poly.Count);
        Assert.InRange(poly[0].GetProperty("x").GetInt32(), 140, 200);
        Assert.Equal(face.GetProperty("boundingPoly").GetRawText(), face.GetProperty("fdBoundingPoly").GetRawText());
        var landmarks = face.GetProperty("landmarks").EnumerateArray().ToDictionary(l => l.GetProperty("type").GetString()!, l => l.GetProperty("position"));
        Assert.Equal(["LEFT_EAR_TRAGION", "LEFT_EYE", "MOUTH_CENTER", "NOSE_TIP", "RIGHT_EAR_TRAGION", "RIGHT_EYE"], landmarks.Keys.Order());
        Assert.True(landmarks["LEFT_EYE"].GetProperty("x").GetSingle() < landmarks["RIGHT_EYE"].GetProperty("x").GetSingle(), "LEFT_EYE is on the viewer's left");
        Assert.Equal(0f, landmarks["NOSE_TIP"].GetProperty("z").GetSingle());
        Assert.InRange(face.GetProperty("detectionConfidence").GetSingle(), 0.5f, 1f);
        Assert.InRange(face.GetProperty("rollAngle").GetSingle(), -30f, 30f);
        // The server runs the emotion model: she smiles.
        Assert.Contains(face.GetProperty("joyLikelihood").GetString(), new[] { "LIKELY", "VERY_LIKELY" });
        Assert.Contains(face.GetProperty("angerLikelihood").GetString(), new[] { "VERY_UNLIKELY", "UNLIKELY" });
        Assert.Equal("UNKNOWN", face.GetProperty("headwearLikelihood").GetString());
    }
}
