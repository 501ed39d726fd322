using System.Text.Json;
using ModelZoo.Catalog;

namespace ModelZoo.Tests.Catalog;

/// <summary>The JSON names of the card vocabulary are derived from the members (<see cref="CatalogNamesAttribute"/>); these
/// are the names cards on disk and in the built-in catalog use, so each one is pinned here.</summary>
public sealed class CatalogNamesTests
{
    public static TheoryData<Enum, string> Names => new()
    {
        { ModelTask.ImageClassification, "image-classification" },
        { ModelTask.ImageFeatureVector, "image-feature-vector" },
        { ModelTask.ObjectDetection, "object-detection" },
        { ModelTask.PoseEstimation, "pose-estimation" },
        { ModelTask.FaceDetection, "face-detection" },
        { ModelTask.FaceAttributes, "face-attributes" },
        { ModelTask.ImageSegmentation, "image-segmentation" },
        { ModelTask.TextDetection, "text-detection" },
        { ModelTask.TextRecognition, "text-recognition" },
        { ModelTask.TextDirection, "text-direction" },
        { ModelTask.Ocr, "ocr" },
        { ModelTask.TextEmbedding, "text-embedding" },
        { ModelTask.SuperResolution, "super-resolution" },
        { ModelTask.FaceEmbedding, "face-embedding" },
        { ColorOrder.Rgb, "RGB" },
        { ColorOrder.Bgr, "BGR" },
        { ColorOrder.Gray, "GRAY" },
        { TensorLayout.Nchw, "NCHW" },
        { TensorLayout.Nhwc, "NHWC" },
        { InputElementType.Float32, "float32" },
        { InputElementType.UInt8, "uint8" },
        { InputElementType.Int32, "int32" },
        { ModelFormat.Onnx, "onnx" },
        { ModelFormat.Tfjs, "tfjs" },
        { ModelFormat.Tflite, "tflite" },
        { OutputKind.Logits, "logits" },
        { OutputKind.Probabilities, "probabilities" },
        { OutputKind.Sigmoid, "sigmoid" },
        { OutputKind.Features, "features" },
        { OutputKind.Raw, "raw" },
        { ResizeMode.Stretch, "stretch" },
        { ResizeMode.CenterCrop, "center-crop" },
        { ResizeMode.Letterbox, "letterbox" },
        { ResizeMode.PadRight, "pad-right" },
        { ResizeMode.LimitSide, "limit-side" },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryMemberReadsAndWritesUnderItsCardName(Enum value, string name)
    {
        var type = value.GetType();
        Assert.Equal($"\"{name}\"", JsonSerializer.Serialize(value, type));
        Assert.Equal($"\"{name}\"", JsonSerializer.Serialize(value, type, ModelCardJson.Options));
        Assert.Equal(value, JsonSerializer.Deserialize($"\"{name}\"", type, ModelCardJson.Options));
    }

    [Fact]
    public void EveryMemberIsPinned()
    {
        var pinned = Names.Select(row => (Enum)row[0]).ToHashSet();
        Type[] vocabulary = [typeof(ModelTask), typeof(ColorOrder), typeof(TensorLayout), typeof(InputElementType), typeof(ModelFormat), typeof(OutputKind), typeof(ResizeMode)];
        var all = vocabulary.SelectMany(t => Enum.GetValues(t).Cast<Enum>()).ToList();
        Assert.All(all, v => Assert.Contains(v, pinned));
        Assert.All(vocabulary, t => Assert.NotNull(t.GetCustomAttributes(typeof(CatalogNamesAttribute), false).SingleOrDefault()));
    }

    [Fact]
    public void AnUnknownNameIsAnErrorThatNamesTheField()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ModelTask>("\"image-clasification\"", ModelCardJson.Options));
        Assert.Contains("ModelTask", error.Message, StringComparison.Ordinal);
    }
}
