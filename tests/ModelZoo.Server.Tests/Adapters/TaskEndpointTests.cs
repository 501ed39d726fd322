using System.Text;
using System.Text.Json;
using ModelZoo.Server.Tests.Infrastructure;
using SkiaSharp;

namespace ModelZoo.Server.Tests.Adapters;

/// <summary>Each task adapter through the native predict route on real models and photos, in the CLI's JSON shapes.</summary>
[Collection(RealModelsCollection.Name)]
public sealed class TaskEndpointTests(RealModelsServer fixture)
{
    [Fact]
    public async Task Detection_finds_the_bicycle_and_the_dog_with_boxes_in_image_pixels()
    {
        var dog = await File.ReadAllBytesAsync(RealModelsServer.Dog);
        using var all = await fixture.PredictAsync(RealModelsServer.Detector, dog);
        var detections = all.RootElement.GetProperty("detections").EnumerateArray().ToList();
        Assert.Equal(["detections"], all.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Contains(detections, d => d.GetProperty("label").GetString() == "bicycle");
        Assert.Contains(detections, d => d.GetProperty("label").GetString() == "dog");
        foreach (var d in detections)
        {
            Assert.Equal(["label", "score", "box"], d.EnumerateObject().Select(p => p.Name));
            var box = d.GetProperty("box");
            Assert.Equal(["x", "y", "width", "height"], box.EnumerateObject().Select(p => p.Name));
            Assert.InRange(box.GetProperty("x").GetSingle(), 0f, 768f);
            Assert.InRange(box.GetProperty("x").GetSingle() + box.GetProperty("width").GetSingle(), 0f, 768.01f);
            Assert.InRange(box.GetProperty("y").GetSingle() + box.GetProperty("height").GetSingle(), 0f, 576.01f);
            Assert.InRange(d.GetProperty("score").GetSingle(), 0.25f, 1f);
        }

        using var confident = await fixture.PredictAsync(RealModelsServer.Detector, dog, "?min_score=0.5&top=1");
        var best = Assert.Single(confident.RootElement.GetProperty("detections").EnumerateArray());
        Assert.Equal(detections.Max(d => d.GetProperty("score").GetSingle()), best.GetProperty("score").GetSingle());
    }

    [Fact]
    public async Task Pose_gives_the_astronaut_17_named_keypoints_with_the_nose_in_her_face()
    {
        using var result = await fixture.PredictAsync(RealModelsServer.Pose, await File.ReadAllBytesAsync(RealModelsServer.Astronaut));
        var pose = Assert.Single(result.RootElement.GetProperty("poses").EnumerateArray());
        var keypoints = pose.GetProperty("keypoints").EnumerateArray().ToList();
        Assert.Equal(17, keypoints.Count);
        Assert.Equal("nose", keypoints[0].GetProperty("name").GetString());
        Assert.Equal("right_ankle", keypoints[16].GetProperty("name").GetString());
        var face = RealModelsServer.AstronautFace;
        Assert.InRange(keypoints[0].GetProperty("x").GetSingle(), face.X, face.X + face.Width);
        Assert.InRange(keypoints[0].GetProperty("y").GetSingle(), face.Y, face.Y + face.Height);
    }

    [Fact]
    public async Task Faces_carry_landmarks_and_the_configured_attribute_models_estimates()
    {
        using var result = await fixture.PredictAsync(RealModelsServer.Faces, await File.ReadAllBytesAsync(RealModelsServer.Astronaut));
        var face = Assert.Single(result.RootElement.GetProperty("faces").EnumerateArray());
        Assert.InRange(face.GetProperty("score").GetSingle(), 0.5f, 1f);
        var box = face.GetProperty("box");
        var (x, y) = (box.GetProperty("x").GetSingle(), box.GetProperty("y").GetSingle());
        Assert.InRange(x, 140f, 200f);
        Assert.InRange(y, 40f, 100f);
        var landmarks = face.GetProperty("landmarks").EnumerateArray().ToList();
        Assert.Equal(["right_eye", "left_eye", "nose_tip", "mouth_center", "right_ear_tragion", "left_ear_tragion"],
            landmarks.Select(l => l.GetProperty("name").GetString()));
        Assert.InRange(face.GetProperty("age").GetSingle(), 15f, 65f);
        Assert.Contains(face.GetProperty("gender").GetString(), new[] { "female", "male" });
        var emotions = face.GetProperty("emotionScores").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetSingle());
        Assert.Equal(7, emotions.Count);
        Assert.Equal(1f, emotions.Values.Sum(), 2);
        // She is smiling.
        Assert.Equal("happy", face.GetProperty("emotion").GetString());
        Assert.Equal("happy", emotions.MaxBy(e => e.Value).Key);
    }

    [Fact]
    public async Task Segmentation_returns_a_png_mask_the_image_size_whose_white_share_is_the_coverage()
    {
        using var result = await fixture.PredictAsync(RealModelsServer.Segmenter, await File.ReadAllBytesAsync(RealModelsServer.Astronaut));
        var mask = Assert.Single(result.RootElement.GetProperty("masks").EnumerateArray());
        Assert.Equal("person", mask.GetProperty("label").GetString());
        Assert.Equal((512, 512), (mask.GetProperty("width").GetInt32(), mask.GetProperty("height").GetInt32()));
        var coverage = mask.GetProperty("coverage").GetSingle();
        Assert.InRange(coverage, 0.3f, 0.8f);

        using var png = SKBitmap.Decode(mask.GetProperty("png").GetBytesFromBase64());
        Assert.Equal((512, 512), (png.Width, png.Height));
        var white = 0;
        for (var py = 0; py < png.Height; py++)
        for (var px = 0; px < png.Width; px++)
        {
            if (png.GetPixel(px, py).Red > 127) white++;
        }
        Assert.Equal(coverage, white / (512f * 512f), 2);
        // The astronaut's face is person; the top-right corner (the flag and the shuttle's background) is not.
        Assert.True(png.GetPixel(225, 120).Red > 127, "the face should be inside the mask");
        Assert.True(png.GetPixel(500, 10).Red < 128, "the top-right corner should be outside the mask");
    }

    [Fact]
    public async Task Ocr_reads_rendered_lines_in_order_with_polygons_and_words()
    {
        string[] lines = ["Total 1250.00", "Order number 60613"];
        var png = TextImage.RenderPng(lines);
        TextImage.Save(png, "native-ocr.png");
        using var result = await fixture.PredictAsync(RealModelsServer.Ocr, png);
        var read = result.RootElement.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(lines.Select(TextImage.Squeeze), read.Select(l => TextImage.Squeeze(l.GetProperty("text").GetString()!)));
        foreach (var line in read)
        {
            Assert.InRange(line.GetProperty("confidence").GetSingle(), 0.5f, 1f);
            var polygon = line.GetProperty("polygon").EnumerateArray().ToList();
            Assert.Equal(4, polygon.Count);
            Assert.All(polygon, p => Assert.Equal(2, p.GetArrayLength()));
            Assert.NotEmpty(line.GetProperty("words").EnumerateArray());
        }
        Assert.True(read[0].GetProperty("polygon")[0][1].GetSingle() < read[1].GetProperty("polygon")[0][1].GetSingle(), "lines in reading order");
    }

    [Fact]
    public async Task Text_embedding_takes_a_text_body_and_puts_paraphrases_closer_than_unrelated_text()
    {
        async Task<float[]> EmbedAsync(string text)
        {
            var response = await fixture.Server.Client.PostAsync($"/v1/models/{RealModelsServer.TextEmbedder}:predict",
                new StringContent(text, Encoding.UTF8, "text/plain"));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            await PublishedSchemas.AssertPredictAnswerAsync(fixture.Server, RealModelsServer.TextEmbedder, body);
            using var document = JsonDocument.Parse(body);
            Assert.False(document.RootElement.GetProperty("truncated").GetBoolean());
            Assert.InRange(document.RootElement.GetProperty("tokenCount").GetInt32(), 3, 64);
            return document.RootElement.GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        }

        var eating = await EmbedAsync("A man is eating food.");
        var bread = await EmbedAsync("A man is eating a piece of bread.");
        var guitar = await EmbedAsync("A woman plays the guitar on stage.");
        Assert.Equal(384, eating.Length);
        Assert.Equal(1f, MathF.Sqrt(eating.Sum(v => v * v)), 3);
        Assert.True(Dot(eating, bread) > Dot(eating, guitar) + 0.2f, $"paraphrase {Dot(eating, bread)} vs unrelated {Dot(eating, guitar)}");
    }

    [Fact]
    public async Task Models_list_offers_every_served_task_and_not_the_parts_of_the_ocr_pipeline()
    {
        using var list = JsonDocument.Parse(await fixture.Server.Client.GetStringAsync("/v1/models"));
        var byHandle = list.RootElement.GetProperty("models").EnumerateArray()
            .ToDictionary(m => m.GetProperty("handle").GetString()!, m => m.GetProperty("task").GetString());
        Assert.Equal("object-detection", byHandle[RealModelsServer.Detector]);
        Assert.Equal("pose-estimation", byHandle[RealModelsServer.Pose]);
        Assert.Equal("face-detection", byHandle[RealModelsServer.Faces]);
        Assert.Equal("image-segmentation", byHandle[RealModelsServer.Segmenter]);
        Assert.Equal("text-detection", byHandle[RealModelsServer.Ocr]);
        Assert.Equal("text-embedding", byHandle[RealModelsServer.TextEmbedder]);
        Assert.DoesNotContain("ocr/ppocrv4/rec", byHandle.Keys);
        Assert.DoesNotContain(RealModelsServer.FaceAttributes[0], byHandle.Keys);
    }

    private static float Dot(float[] a, float[] b) => a.Zip(b).Sum(p => p.First * p.Second);
}
