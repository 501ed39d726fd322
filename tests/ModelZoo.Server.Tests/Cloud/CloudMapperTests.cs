using System.Text.Json;
using ModelZoo.Catalog;
using ModelZoo.Server.Cloud;
using ModelZoo.Tasks;
using ModelZoo.Tasks.Ocr;

namespace ModelZoo.Server.Tests.Cloud;

/// <summary>The cloud mappers on hand-made results: merging, ids, units and the cases real models rarely produce.</summary>
public sealed class CloudMapperTests
{
    private static readonly ModelCard Card = ModelCatalog.LoadBuiltin().Get("coco/nanodet/detection");

    private static JsonElement Json(object value) => JsonDocument.Parse(JsonSerializer.Serialize(value)).RootElement;

    [Fact]
    public void DetectLabels_merges_instances_under_same_named_labels_and_adds_detector_only_labels()
    {
        Prediction[] classes = [new("dog, domestic dog", 1, 0.6f), new("tabby, tabby cat", 2, 0.2f)];
        Detection[] boxes =
        [
            new("dog", 16, 0.9f, new BoundingBox(100, 50, 200, 100)),
            new("dog", 16, 0.4f, new BoundingBox(0, 0, 10, 10)),
            new("bicycle", 1, 0.7f, new BoundingBox(0, 0, 400, 200)),
        ];
        var labels = Json(RekognitionMapper.DetectLabels(classes, boxes, 400, 200, Card, 10, 50f)).GetProperty("Labels").EnumerateArray().ToList();

        Assert.Equal(["Dog", "Bicycle"], labels.Select(l => l.GetProperty("Name").GetString()));
        Assert.Equal(90f, labels[0].GetProperty("Confidence").GetSingle(), 3);
        var dog = Assert.Single(labels[0].GetProperty("Instances").EnumerateArray()).GetProperty("BoundingBox");
        Assert.Equal((0.5f, 0.5f, 0.25f, 0.25f), (dog.GetProperty("Width").GetSingle(), dog.GetProperty("Height").GetSingle(),
            dog.GetProperty("Left").GetSingle(), dog.GetProperty("Top").GetSingle()));
        Assert.Equal(1f, labels[1].GetProperty("Instances")[0].GetProperty("BoundingBox").GetProperty("Width").GetSingle());
        Assert.Single(Json(RekognitionMapper.DetectLabels(classes, boxes, 400, 200, Card, 1, 50f)).GetProperty("Labels").EnumerateArray());
    }

    [Fact]
    public void DetectText_numbers_lines_then_words_and_gives_a_word_without_polygon_its_line_geometry()
    {
        TextPoint[] line0 = [new(10, 10), new(90, 10), new(90, 30), new(10, 30)];
        TextPoint[] line1 = [new(10, 50), new(50, 50), new(50, 70), new(10, 70)];
        TextLine[] lines =
        [
            new("OPEN 9", 0.9f, line0, [new("OPEN", 0.95f, [new(10, 10), new(60, 10), new(60, 30), new(10, 30)]), new("9", null, null)]),
            new("EXIT", 0.8f, line1, [new("EXIT", 0.3f, line1)]),
        ];
        var all = Json(RekognitionMapper.DetectText(lines, 100, 100, Card)).GetProperty("TextDetections").EnumerateArray().ToList();
        Assert.Equal(["LINE:0:", "LINE:1:", "WORD:2:0", "WORD:3:0", "WORD:4:1"], all.Select(d =>
            $"{d.GetProperty("Type").GetString()}:{d.GetProperty("Id").GetInt32()}:{(d.TryGetProperty("ParentId", out var p) ? p.GetInt32().ToString() : "")}"));
        Assert.Equal(0.8f, all[3].GetProperty("Geometry").GetProperty("BoundingBox").GetProperty("Width").GetSingle(), 4);
        Assert.Equal(90f, all[3].GetProperty("Confidence").GetSingle(), 3);
        Assert.Equal((0.1f, 0.7f), (all[1].GetProperty("Geometry").GetProperty("Polygon")[3].GetProperty("X").GetSingle(),
            all[1].GetProperty("Geometry").GetProperty("Polygon")[3].GetProperty("Y").GetSingle()));

        var filtered = Json(RekognitionMapper.DetectText(lines, 100, 100, Card, minWordConfidence: 50f)).GetProperty("TextDetections");
        Assert.Equal(4, filtered.GetArrayLength());
    }

    [Fact]
    public void Faces_map_emotions_to_rekognition_types_and_vision_likelihoods_and_say_unknown_without_them()
    {
        var face = new Face
        {
            Score = 0.9f,
            Box = new BoundingBox(10, 20, 30, 40),
            Landmarks = [new("right_eye", 15, 30), new("left_eye", 30, 30), new("mouth_center", 22, 50)],
            Age = 30f,
            Gender = "female",
            GenderScore = 0.8f,
            Emotion = "happiness",
            EmotionScores = new Dictionary<string, float> { ["happiness"] = 0.7f, ["neutral"] = 0.2f, ["contempt"] = 0.1f },
        };
        var detail = Json(RekognitionMapper.DetectFaces([face], 100, 100, allAttributes: true)).GetProperty("FaceDetails")[0];
        Assert.Equal(["HAPPY", "CALM"], detail.GetProperty("Emotions").EnumerateArray().Select(e => e.GetProperty("Type").GetString()));
        Assert.Equal("Female", detail.GetProperty("Gender").GetProperty("Value").GetString());
        // 30 years ± a fifth of them.
        Assert.Equal((24, 36), (detail.GetProperty("AgeRange").GetProperty("Low").GetInt32(), detail.GetProperty("AgeRange").GetProperty("High").GetInt32()));
        Assert.Equal(["eyeLeft", "eyeRight"], detail.GetProperty("Landmarks").EnumerateArray().Select(l => l.GetProperty("Type").GetString()));
        Assert.False(Json(RekognitionMapper.DetectFaces([face], 100, 100, allAttributes: false)).GetProperty("FaceDetails")[0].TryGetProperty("Gender", out _));

        var vision = Json(VisionMapper.FaceAnnotations([face], 10))[0];
        Assert.Equal("LIKELY", vision.GetProperty("joyLikelihood").GetString());
        Assert.Equal("UNKNOWN", vision.GetProperty("sorrowLikelihood").GetString());
        Assert.Equal(0f, vision.GetProperty("rollAngle").GetSingle());
        var plain = Json(VisionMapper.FaceAnnotations([face with { EmotionScores = null, Emotion = null }], 10))[0];
        Assert.Equal("UNKNOWN", plain.GetProperty("joyLikelihood").GetString());
        Assert.Equal(["LEFT_EYE", "RIGHT_EYE", "MOUTH_CENTER"], plain.GetProperty("landmarks").EnumerateArray().Select(l => l.GetProperty("type").GetString()));
    }

    [Fact]
    public void Vision_text_is_empty_without_lines_and_objects_are_clamped_normalised_corners()
    {
        Assert.Empty(VisionMapper.TextAnnotations([], 10));
        Assert.Equal("", Json(VisionMapper.FullTextAnnotation([])).GetProperty("text").GetString());

        var objects = Json(VisionMapper.LocalizedObjectAnnotations([new Detection("person", 0, 0.8f, new BoundingBox(-5, 10, 110, 40))], 100, 100, 10));
        var vertices = objects[0].GetProperty("boundingPoly").GetProperty("normalizedVertices").EnumerateArray()
            .Select(v => (v.GetProperty("x").GetSingle(), v.GetProperty("y").GetSingle())).ToList();
        Assert.Equal([(0f, 0.1f), (1f, 0.1f), (1f, 0.5f), (0f, 0.5f)], vertices);
        Assert.Equal("Person", objects[0].GetProperty("name").GetString());
    }
}
