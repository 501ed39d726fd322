namespace ModelZoo.Training.DetectionMetrics;

/// <summary>A detection dataset's labels cannot be read: no labels found, malformed COCO JSON, a bad YOLO label line
/// (the file and line are named), or an image the labels name is missing.</summary>
public sealed class DetectionLabelsException(string message, Exception? inner = null) : ZooException(ZooErrors.DetectionLabelsInvalid, message, inner);
