using System.Text.Json;
using ModelZoo.Catalog;
using ModelZoo.Tests.Infrastructure;
using ModelZoo.Tests.Tasks;
using SkiaSharp;
using T = ModelZoo.Tests.Tasks.FixedOutputModel.Tensor;

namespace ModelZoo.Cli.Tests.Commands;

public sealed class VisionCommandsTests
{
    [Fact]
    public void Faces_json_lists_each_image_with_scored_boxes_and_named_landmarks_and_saves_annotated_pngs()
    {
        var save = Path.Combine(Path.GetTempPath(), "zoo-faces-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var astronaut = TestAssets.Image("skimage/astronaut.png");
            var dog = TestAssets.Image("darknet/dog.jpg");
            var result = CliRunner.Run(SharedStore.Settings, "faces", "face/blazeface/front_128", astronaut, dog, "--json", "--save", save);

            Assert.True(result.ExitCode == 0, result.AllText);
            using var doc = JsonDocument.Parse(result.Output);
            var images = doc.RootElement.EnumerateArray().ToList();
            Assert.Equal([astronaut, dog], images.Select(i => i.GetProperty("image").GetString()));
            var face = Assert.Single(images[0].GetProperty("faces").EnumerateArray());
            Assert.InRange(face.GetProperty("score").GetDouble(), 0.5, 1.0);
            var box = face.GetProperty("box");
            Assert.InRange(box.GetProperty("x").GetDouble(), 140, 220);
            Assert.InRange(box.GetProperty("width").GetDouble(), 60, 160);
            Assert.Equal(6, face.GetProperty("landmarks").GetArrayLength());
            Assert.Equal("right_eye", face.GetProperty("landmarks")[0].GetProperty("name").GetString());
            Assert.False(face.TryGetProperty("age", out _));
            Assert.Equal(0, images[1].GetProperty("faces").GetArrayLength());
            using var png = SKBitmap.Decode(Path.Combine(save, "astronaut.png"));
            Assert.Equal(512, png.Width);
            Assert.True(File.Exists(Path.Combine(save, "dog.png")));
        }
        finally
        {
            if (Directory.Exists(save)) Directory.Delete(save, recursive: true);
        }
    }

    [Fact]
    public void Faceid_json_gives_each_face_its_box_score_and_unit_length_embedding_with_the_default_detector()
    {
        var astronaut = TestAssets.Image("skimage/astronaut.png");
        var result = CliRunner.Run(SharedStore.Settings, "faceid", "face/mobilefacenet/embedding", astronaut, "--json");

        Assert.True(result.ExitCode == 0, result.AllText);
        using var doc = JsonDocument.Parse(result.Output);
        var image = Assert.Single(doc.RootElement.EnumerateArray().ToList());
        Assert.Equal(astronaut, image.GetProperty("image").GetString());
        var face = Assert.Single(image.GetProperty("faces").EnumerateArray().ToList());
        Assert.InRange(face.GetProperty("score").GetDouble(), 0.5, 1.0);
        Assert.InRange(face.GetProperty("box").GetProperty("x").GetDouble(), 140, 220);
        var embedding = face.GetProperty("embedding").EnumerateArray().Select(v => v.GetDouble()).ToList();
        Assert.Equal(192, embedding.Count);
        Assert.Equal(1.0, Math.Sqrt(embedding.Sum(v => v * v)), 3);
    }

    [Fact]
    public void Detect_json_has_label_score_and_box_in_original_pixels_for_a_user_catalog_model()
    {
        using var home = new TempHome();
        using var fixture = RegisterFixedDogDetector(home);
        var imagePath = WriteGray(Path.Combine(home.Path, "wide.png"), 128, 64, SKEncodedImageFormat.Png);

        var result = CliRunner.Run(home.Settings(), "detect", fixture.Card.Handle, imagePath, "--json", "--min-score", "0.5");

        Assert.True(result.ExitCode == 0, result.AllText);
        using var doc = JsonDocument.Parse(result.Output);
        var image = Assert.Single(doc.RootElement.EnumerateArray().ToList());
        Assert.Equal(imagePath, image.GetProperty("image").GetString());
        var detection = Assert.Single(image.GetProperty("detections").EnumerateArray().ToList());
        Assert.Equal(["label", "score", "box"], detection.EnumerateObject().Select(p => p.Name));
        Assert.Equal("dog", detection.GetProperty("label").GetString());
        Assert.Equal(0.9, detection.GetProperty("score").GetDouble(), 4);
        var box = detection.GetProperty("box");
        Assert.Equal([48.0, 24.0, 32.0, 16.0], new[] { "x", "y", "width", "height" }.Select(k => box.GetProperty(k).GetDouble()));

        var table = CliRunner.Run(home.Settings(), "detect", fixture.Card.Handle, imagePath);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("dog", table.Console);
    }

    [Fact]
    public void Detect_boxes_of_a_large_jpeg_are_the_same_in_file_pixels_with_a_scaled_and_a_full_decode()
    {
        // A 512×256 JPEG for a 64-pixel model decodes at 1/8 by default; the box must land where a full decode puts it.
        using var home = new TempHome();
        using var fixture = RegisterFixedDogDetector(home);
        var imagePath = WriteGray(Path.Combine(home.Path, "wide.jpg"), 512, 256, SKEncodedImageFormat.Jpeg);
        var save = Path.Combine(home.Path, "drawn");

        double[] Box(params string[] extra)
        {
            var result = CliRunner.Run(home.Settings(), ["detect", fixture.Card.Handle, imagePath, "--json", "--min-score", "0.5", .. extra]);
            Assert.True(result.ExitCode == 0, result.AllText);
            using var doc = JsonDocument.Parse(result.Output);
            var box = Assert.Single(doc.RootElement[0].GetProperty("detections").EnumerateArray().ToList()).GetProperty("box");
            return [.. new[] { "x", "y", "width", "height" }.Select(k => box.GetProperty(k).GetDouble())];
        }

        Assert.Equal([192.0, 96.0, 128.0, 64.0], Box());
        Assert.Equal([192.0, 96.0, 128.0, 64.0], Box("--full-decode"));
        Assert.Equal([192.0, 96.0, 128.0, 64.0], Box("--save", save));
        using var png = SKBitmap.Decode(Path.Combine(save, "wide.png"));
        Assert.Equal((512, 256), (png.Width, png.Height));
    }

    /// <summary>Writes a plain grey image of the given size and format; returns its path.</summary>
    private static string WriteGray(string path, int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        using var file = File.Create(path);
        bitmap.Erase(SKColors.Gray);
        bitmap.Encode(file, format, 95);
        return path;
    }

    /// <summary>A 64-pixel letterbox detector that always answers one dog at (32, 32, 16, 8) in model pixels, registered in
    /// <paramref name="home"/>'s catalog.</summary>
    private static FixedOutputModel RegisterFixedDogDetector(TempHome home)
    {
        var spec = new InputSpec { Width = 64, Height = 64, Resize = ResizeMode.Letterbox };
        float[] data = [32, 32, 16, 8, 0.1f, 0.9f];
        var fixture = FixedOutputModel.Create(ModelTask.ObjectDetection, "yolov8", spec, [new T("output0", data, 1, 6, 1)], ["cat", "dog"]);
        ModelCatalog.Load(home.Settings()).Register(fixture.Card, home.Settings());
        return fixture;
    }

    [Fact]
    public void A_model_file_with_names_after_a_background_class_labels_its_detections_by_the_offset()
    {
        using var home = new TempHome();
        // Three classes, background first: the one box scores class 2, the second name.
        var spec = new InputSpec { Width = 64, Height = 64, Resize = ResizeMode.Letterbox };
        float[] data = [32, 32, 16, 8, 0.05f, 0.1f, 0.9f];
        using var fixture = FixedOutputModel.Create(ModelTask.ObjectDetection, "yolov8", spec, [new T("output0", data, 1, 7, 1)]);
        var model = ModelZoo.Onnx.OnnxModel.Load(fixture.Model.PathOf("model.onnx"));
        EmbeddedModelDescription.Write(model.Metadata, ModelTask.ObjectDetection, fixture.Card.Input!, fixture.Card.Output, ["cat", "dog"], labelOffset: 1);
        var file = Path.Combine(home.Path, "background-first.onnx");
        model.Save(file);

        var result = CliRunner.Run(home.Settings(), "detect", file, TestAssets.Image("darknet/dog.jpg"), "--json");

        Assert.True(result.ExitCode == 0, result.AllText);
        using var doc = JsonDocument.Parse(result.Output);
        var detection = Assert.Single(doc.RootElement[0].GetProperty("detections").EnumerateArray().ToList());
        Assert.Equal("dog", detection.GetProperty("label").GetString());
    }

    [Fact]
    public void Segment_saves_a_mask_png_and_reports_its_path_and_coverage()
    {
        using var home = new TempHome();
        var spec = new InputSpec { Width = 8, Height = 8, Layout = TensorLayout.Nhwc };
        var probabilities = Enumerable.Range(0, 64).Select(i => i < 16 ? 0.9f : 0.1f).ToArray();
        using var fixture = FixedOutputModel.Create(ModelTask.ImageSegmentation, "selfie", spec, [new T("mask", probabilities, 1, 8, 8, 1)]);
        ModelCatalog.Load(home.Settings()).Register(fixture.Card, home.Settings());
        var save = Path.Combine(home.Path, "out");

        var result = CliRunner.Run(home.Settings(), "segment", fixture.Card.Handle, TestAssets.Image("skimage/chelsea.png"), "--json", "--save", save);

        Assert.True(result.ExitCode == 0, result.AllText);
        using var doc = JsonDocument.Parse(result.Output);
        var mask = Assert.Single(doc.RootElement[0].GetProperty("masks").EnumerateArray().ToList());
        Assert.Equal("person", mask.GetProperty("label").GetString());
        Assert.Equal(0.25, mask.GetProperty("coverage").GetDouble(), 2);
        var path = mask.GetProperty("path").GetString()!;
        Assert.Equal(Path.Combine(save, "chelsea.mask-person.png"), path);
        using var png = SKBitmap.Decode(path);
        Assert.Equal((451, 300), (png.Width, png.Height));
        Assert.True(File.Exists(Path.Combine(save, "chelsea.png")));
    }

    [Fact]
    public void Vision_commands_reject_a_min_score_outside_zero_to_one()
    {
        using var home = new TempHome();
        var result = CliRunner.Run(home.Settings(offline: true), "pose", "any/model", "x.png", "--min-score", "3");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--min-score", result.AllText);
    }
}
