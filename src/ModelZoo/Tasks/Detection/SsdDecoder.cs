namespace ModelZoo.Tasks;

/// <summary>
/// Detectors with post-processing in the graph, as the TensorFlow Object Detection API exports them:
/// <c>detection_boxes [1, N, 4]</c> (ymin, xmin, ymax, xmax, normalised to the input), <c>detection_scores [1, N]</c>,
/// <c>detection_classes [1, N]</c> (class ids as numbers, mapped to labels with the card's label offset) and
/// optionally <c>num_detections [1]</c>. Tensors are found by the name parts the card gives in <c>output.tensors</c>
/// (the built-in card: <c>box</c>, <c>score</c>, <c>class</c>, <c>num</c>), else by shape.
/// </summary>
internal sealed class SsdDecoder : IDetectionDecoder
{
    private const string Expected = "boxes [1, N, 4], scores [1, N], classes [1, N] and optionally num_detections [1]";

    private static NamedTensor? Named(ModelOutputs outputs, string? part) => part is null ? null : outputs.FindByNamePart(part);

    public List<CandidateBox> Decode(ModelOutputs outputs, int? classCount, float scoreThreshold)
    {
        var names = outputs.Card.Output?.Tensors;
        var boxes = Named(outputs, names?.Boxes) ?? outputs.Tensors.FirstOrDefault(t => t.Shape.Length == 3 && t.Shape[^1] == 4)
            ?? throw outputs.ShapeError("ssd", Expected);
        if (boxes.Shape.Length != 3 || boxes.Shape[^1] != 4)
        {
            throw outputs.ShapeError("ssd", Expected);
        }
        var n = (int)boxes.Shape[1];
        var perBox = outputs.Tensors.Where(t => t != boxes && t.ElementCount == n && t.Shape.Length >= 2).ToList();
        var scores = Named(outputs, names?.Scores) ?? perBox.FirstOrDefault(t => !ListedDetections.IsClassIds(t));
        var classes = Named(outputs, names?.Classes) ?? perBox.FirstOrDefault(t => t != scores);
        if (scores is null || classes is null || scores.ElementCount != n || classes.ElementCount != n)
        {
            throw outputs.ShapeError("ssd", Expected);
        }
        var count = n;
        if ((Named(outputs, names?.Count) ?? outputs.Tensors.FirstOrDefault(t => t.ElementCount == 1)) is { } num && num.ElementCount == 1)
        {
            count = Math.Clamp((int)ModelOutputs.Floats(num)[0], 0, n);
        }
        var b = ModelOutputs.Floats(boxes);
        var s = ModelOutputs.Floats(scores);
        var c = ModelOutputs.Floats(classes);
        return ListedDetections.Collect(b, c, s, count, scoreThreshold, yFirst: true, outputs.InputWidth, outputs.InputHeight);
    }
}
