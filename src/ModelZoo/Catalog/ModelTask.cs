namespace ModelZoo.Catalog;

/// <summary>The fixed vocabulary of tasks a model card can declare. The JSON names are the ones
/// the CLI accepts with <c>--task</c>.</summary>
[CatalogNames]
public enum ModelTask
{
    /// <summary>Scores over a fixed label set for a whole image.</summary>
    ImageClassification,
    /// <summary>A fixed-length embedding of a whole image.</summary>
    ImageFeatureVector,
    /// <summary>Labelled boxes.</summary>
    ObjectDetection,
    /// <summary>Body keypoints.</summary>
    PoseEstimation,
    /// <summary>Face boxes and landmarks.</summary>
    FaceDetection,
    /// <summary>Age, gender, emotion or identity embedding of a face crop.</summary>
    FaceAttributes,
    /// <summary>Per-pixel masks.</summary>
    ImageSegmentation,
    /// <summary>Text regions.</summary>
    TextDetection,
    /// <summary>Text of a cropped line.</summary>
    TextRecognition,
    /// <summary>Classifies the orientation of a text line.</summary>
    TextDirection,
    /// <summary>Full text spotting (detection plus recognition).</summary>
    Ocr,
    /// <summary>A fixed-length embedding of a sentence.</summary>
    TextEmbedding,
    /// <summary>Upscaled image.</summary>
    SuperResolution,
    /// <summary>Identity embeddings of the faces in an image (face recognition).</summary>
    FaceEmbedding,
}
