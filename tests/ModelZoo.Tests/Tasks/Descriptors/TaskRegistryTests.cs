using System.Text;
using System.Text.Json;
using ModelZoo.Catalog;
using ModelZoo.Tasks;

namespace ModelZoo.Tests.Tasks.Descriptors;

public sealed class TaskRegistryTests
{
    [Fact]
    public void A_task_registered_twice_is_refused()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new TaskRegistry([new ObjectDetectionTask(), new ObjectDetectionTask()]));
        Assert.Contains("object-detection is registered twice", ex.Message);
    }

    [Fact]
    public void The_default_registry_holds_each_image_task_once_with_its_decoder_table()
    {
        var registry = TaskRegistry.Default;
        Assert.Equal(registry.All.Count, registry.All.Select(d => d.Task).Distinct().Count());
        Assert.Equal(ObjectDetector.DecoderTable.Names, registry.Get(ModelTask.ObjectDetection).Decoders);
        Assert.Equal(PoseEstimator.DecoderTable.Names, registry.Get(ModelTask.PoseEstimation).Decoders);
        Assert.Equal(FaceDetector.DecoderTable.Names, registry.Get(ModelTask.FaceDetection).Decoders);
        Assert.Equal(Segmenter.DecoderTable.Names, registry.Get(ModelTask.ImageSegmentation).Decoders);
        Assert.Null(registry.Get(ModelTask.ImageClassification).Decoders);
        Assert.Null(registry.Find(ModelTask.Ocr));
        Assert.Equal(["detect", "pose", "faces", "segment", "faceid"], registry.Commands.Select(d => d.Command!.Verb));
        Assert.Same(registry.Get(ModelTask.PoseEstimation), registry.FindVerb("pose"));
    }

    [Fact]
    public void Options_start_from_the_records_defaults_and_take_the_neutral_keys()
    {
        var detection = TaskRegistry.Default.Get<IReadOnlyList<Detection>, DetectionOptions>(ModelTask.ObjectDetection);
        Assert.Equal(new DetectionOptions(), detection.ParseOptions(TaskOptionValues.Empty));
        var parsed = detection.ParseOptions(new TaskOptionValues([new("min_score", "0.6"), new("top", "3"), new("unknown", "x")]));
        Assert.Equal(new DetectionOptions { ScoreThreshold = 0.6f, MaxDetections = 3 }, parsed);

        var faces = TaskRegistry.Default.Get<IReadOnlyList<Face>, FaceOptions>(ModelTask.FaceDetection);
        Assert.False(faces.ParseOptions(new TaskOptionValues([new("face_attributes", "false")])).Attributes);
        Assert.Equal(0.25f, detection.DefaultOptions.ScoreThreshold);
        Assert.Equal(0.5f, faces.DefaultOptions.ScoreThreshold);
    }

    [Theory]
    [InlineData("min_score", "high")]
    [InlineData("min_score", "1.5")]
    [InlineData("top", "0")]
    [InlineData("top", "2.5")]
    public void An_option_value_of_the_wrong_type_or_range_is_a_usage_error(string key, string value)
    {
        var detection = TaskRegistry.Default.Get(ModelTask.ObjectDetection);
        var typed = Assert.IsType<ObjectDetectionTask>(detection);
        Assert.Throws<ZooUsageException>(() => typed.ParseOptions(new TaskOptionValues([new(key, value)])));
    }

    [Fact]
    public void Results_are_written_as_the_shared_json_shape_and_read_as_tables()
    {
        var detection = new ObjectDetectionTask();
        var result = new List<Detection> { new("dog", 16, 0.87654f, new BoundingBox(1.234f, 2, 30, 40)) };
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            detection.WriteJsonUntyped(writer, result, ResultJsonOptions.Response);
            writer.WriteEndObject();
        }
        Assert.Equal("""{"detections":[{"label":"dog","score":0.8765,"box":{"x":1.23,"y":2,"width":30,"height":40}}]}""",
            Encoding.UTF8.GetString(buffer.ToArray()));

        var view = detection.Present(result);
        var table = Assert.Single(view.Tables);
        Assert.Equal(["Label", "Score", "Box (x, y, w, h)"], table.Columns.Select(c => c.Header));
        Assert.Equal(["dog", 0.87654f.ToString("P1", System.Globalization.CultureInfo.InvariantCulture), "1, 2, 30, 40"], table.Rows[0]);
        Assert.Equal("nothing detected", detection.Present([]).Empty?.Message);
    }
}
