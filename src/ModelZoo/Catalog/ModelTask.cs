using System.Text.Json.Serialization;

namespace ModelZoo.Catalog;

/// <summary>The fixed vocabulary of tasks a model card can declare. The JSON names are the ones
/// the CLI accepts with <c>--task</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelTask>))]
public enum ModelTask
{
    /// <summary>Scores over a fixed label set for a whole image.</summary>
    [JsonStringEnumMemberName("image-classification")] ImageClassification,
    /// <summary>A fixed-length embedding of a whole image.</summary>
    [JsonStringEnumMemberName("image-feature-vector")] ImageFeatureVector,
    /// <summary>Labelled boxes.</summary>
    [JsonStringEnumMemberName("object-detection")] ObjectDetection,
    /// <summary>Body keypoints.</summary>
    [JsonStringEnumMemberName("pose-estimation")] PoseEstimation,
    /// <summary>Face boxes and landmarks.</summary>
    [JsonStringEnumMemberName("face-detection")] FaceDetection,
    /// <summary>Age, gender, emotion or identity embedding of a face crop.</summary>
    [JsonStringEnumMemberName("face-attributes")] FaceAttributes,
    /// <summary>Per-pixel masks.</summary>
    [JsonStringEnumMemberName("image-segmentation")] ImageSegmentation,
    /// <summary>Text regions.</summary>
    [JsonStringEnumMemberName("text-detection")] TextDetection,
    /// <summary>Text of a cropped line.</summary>
    [JsonStringEnumMemberName("text-recognition")] TextRecognition,
    /// <summary>Classifies the orientation of a text line.</summary>
    [JsonStringEnumMemberName("text-direction")] TextDirection,
    /// <summary>Full text spotting (detection plus recognition).</summary>
    [JsonStringEnumMemberName("ocr")] Ocr,
    /// <summary>A fixed-length embedding of a sentence.</summary>
    [JsonStringEnumMemberName("text-embedding")] TextEmbedding,
    /// <summary>Upscaled image.</summary>
    [JsonStringEnumMemberName("super-resolution")] SuperResolution,
    /// <summary>Identity embeddings of the faces in an image (face recognition).</summary>
    [JsonStringEnumMemberName("face-embedding")] FaceEmbedding,
}
