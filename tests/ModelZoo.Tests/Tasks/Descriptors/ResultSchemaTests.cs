using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Tasks;
using ModelZoo.Tasks.Ocr;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Tests.Tasks.Descriptors;

/// <summary>Each task's declared JSON Schema against what its writer writes: every sample conforms, and every property
/// the schema declares is written by some sample, so the published schema is neither short of nor beyond the JSON.</summary>
public sealed class ResultSchemaTests
{
    private static readonly BoundingBox Box = new(10.5f, 20.25f, 100, 50);

    /// <summary>Results that together carry every optional property, per task.</summary>
    private static readonly Dictionary<ModelTask, Func<ResultJsonOptions, IReadOnlyList<string>>> Samples = new()
    {
        [ModelTask.ImageClassification] = o => Write<IReadOnlyList<Prediction>, ClassificationOptions>(ModelTask.ImageClassification, o,
            [new Prediction("tabby", 281, 0.91f), new Prediction("tiger cat", 282, 0.05f)], []),
        [ModelTask.ImageFeatureVector] = o => Write<float[], FeatureVectorOptions>(ModelTask.ImageFeatureVector, o, [0.5f, -1.25f, 3f]),
        [ModelTask.ObjectDetection] = o => Write<IReadOnlyList<Detection>, DetectionOptions>(ModelTask.ObjectDetection, o,
            [new Detection("dog", 16, 0.87654f, Box)], []),
        [ModelTask.PoseEstimation] = o => Write<IReadOnlyList<Pose>, PoseOptions>(ModelTask.PoseEstimation, o,
            [new Pose(0.8f, [new Keypoint("nose", 50, 60, 0.9f), new Keypoint("left_eye", 45, 55, 0.7f)], Box)],
            [new Pose(0.6f, [new Keypoint("nose", 5, 6, 0.5f)])], []),
        [ModelTask.FaceDetection] = o => Write<IReadOnlyList<Face>, FaceOptions>(ModelTask.FaceDetection, o,
            [new Face
            {
                Score = 0.99f, Box = Box, Landmarks = [new FaceLandmark("right_eye", 30, 40)], Age = 31.4f, Gender = "female", GenderScore = 0.93f,
                Emotion = "happiness", EmotionScores = new Dictionary<string, float> { ["happiness"] = 0.8f, ["neutral"] = 0.2f },
            }],
            [new Face { Score = 0.7f, Box = Box }], []),
        [ModelTask.ImageSegmentation] = o => Write<IReadOnlyList<SegmentationMask>, SegmentationOptions>(ModelTask.ImageSegmentation, o,
            [new SegmentationMask("person", 2, 2, [0, 255, 255, 0], 0.5f) { SavedPath = "out/photo.person.png" }, new SegmentationMask("cat", 2, 2, [0, 0, 0, 255], 0.25f)], []),
        [ModelTask.SuperResolution] = o => Write<UpscaledImage, UpscaleOptions>(ModelTask.SuperResolution, o,
            new UpscaledImage(RgbImage.FromPixels(2, 2, new byte[12]), 4, 1, "out/photo.x4.png"), new UpscaledImage(RgbImage.FromPixels(2, 2, new byte[12]), 4, 1)),
        [ModelTask.FaceEmbedding] = o => Write<IReadOnlyList<EmbeddedFace>, FaceOptions>(ModelTask.FaceEmbedding, o,
            [new EmbeddedFace { Score = 0.95f, Box = Box, Embedding = [0.6f, 0.8f] }], []),
    };

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var descriptor in TaskRegistry.Default.All)
        {
            data.Add(TaskNames.Of(descriptor.Task), true);
            data.Add(TaskNames.Of(descriptor.Task), false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_task_writes_what_its_schema_declares_and_nothing_else(string task, bool response)
    {
        var descriptor = TaskRegistry.Default.All.Single(d => TaskNames.Of(d.Task) == task);
        var options = response ? ResultJsonOptions.Response : ResultJsonOptions.Files;
        Assert.True(Samples.TryGetValue(descriptor.Task, out var sample), $"add samples of {task} results to {nameof(ResultSchemaTests)}.");
        var schema = descriptor.JsonSchema(options);
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var json in sample(options))
        {
            Assert.Empty(JsonSchemaCheck.Errors(schema, json));
            written.UnionWith(JsonSchemaCheck.WrittenPaths(json));
        }
        var declared = JsonSchemaCheck.DeclaredPaths(schema);
        Assert.Empty(declared.Except(written));
        Assert.Empty(written.Except(declared.Concat(EmotionNames)));
    }

    [Fact]
    public void A_property_the_schema_does_not_declare_or_of_another_type_is_caught()
    {
        var schema = TaskRegistry.Default.Get(ModelTask.ObjectDetection).JsonSchema(ResultJsonOptions.Response);
        var json = Write<IReadOnlyList<Detection>, DetectionOptions>(ModelTask.ObjectDetection, ResultJsonOptions.Response, [new Detection("dog", 16, 0.5f, Box)])[0];
        var extra = JsonNode.Parse(json)!;
        extra["detections"]![0]!["classIndex"] = 16;
        Assert.Contains(JsonSchemaCheck.Errors(schema, extra.ToJsonString()), e => e.Contains("/detections/0", StringComparison.Ordinal));
        var wrongType = JsonNode.Parse(json)!;
        wrongType["detections"]![0]!["score"] = "high";
        Assert.NotEmpty(JsonSchemaCheck.Errors(schema, wrongType.ToJsonString()));
        var missing = JsonNode.Parse(json)!;
        missing["detections"]![0]!.AsObject().Remove("box");
        Assert.NotEmpty(JsonSchemaCheck.Errors(schema, missing.ToJsonString()));
    }

    [Fact]
    public void Ocr_lines_conform_with_and_without_word_geometry()
    {
        var schema = ResultSchema.Object("Lines.", ResultSchema.Lines());
        TextPoint[] square = [new(0, 0), new(10, 0), new(10, 5), new(0, 5)];
        var json = Json(w => ResultJson.WriteLines(w, [new TextLine("HELLO WORLD", 0.97f, square,
            [new TextWord("HELLO", 0.98f, square), new TextWord("WORLD", null, null)])]));
        Assert.Empty(JsonSchemaCheck.Errors(schema, json));
        Assert.Empty(JsonSchemaCheck.DeclaredPaths(schema).Except(JsonSchemaCheck.WrittenPaths(json)));
    }

    // The emotion model's class names are keys of "emotionScores", declared as additionalProperties.
    private static readonly string[] EmotionNames = ["/faces/*/emotionScores/happiness", "/faces/*/emotionScores/neutral"];

    private static string Json(Action<Utf8JsonWriter> write) => Encoding.UTF8.GetString(ResultJson.Object(write));

    private static IReadOnlyList<string> Write<TResult, TOptions>(ModelTask task, ResultJsonOptions options, params TResult[] results)
        where TOptions : class
    {
        var descriptor = TaskRegistry.Default.Get<TResult, TOptions>(task);
        return results.Select(r => Json(w => descriptor.WriteJson(w, r, options))).ToList();
    }
}
