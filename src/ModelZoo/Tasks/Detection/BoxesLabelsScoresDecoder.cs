namespace ModelZoo.Tasks;

/// <summary>
/// Detectors that return finished detections as three tensors, as Faster R-CNN (maskrcnn-benchmark) and the MLPerf
/// SSD-ResNet34 export them: boxes <c>[N, 4]</c> or <c>[1, N, 4]</c> as x1, y1, x2, y2, labels <c>[N]</c> (class ids,
/// integer or float, mapped to names with the card's label offset) and scores <c>[N]</c>. Boxes are in model-input
/// pixels; when every coordinate lies within 0–1 they are taken as normalised to the input. Tensors are found by
/// name (<c>box</c>, <c>label</c>, <c>score</c>), else by shape (boxes end in 4; labels are the whole-number one).
/// </summary>
internal sealed class BoxesLabelsScoresDecoder : IDetectionDecoder
{
    private const string Expected = "boxes [N, 4] (x1, y1, x2, y2), labels [N] and scores [N]";

    public List<CandidateBox> Decode(ModelOutputs outputs, int? classCount, float scoreThreshold)
    {
        var boxes = outputs.FindByNamePart("box") ?? outputs.Tensors.FirstOrDefault(t => t.Shape.Length is 2 or 3 && t.Shape[^1] == 4)
            ?? throw outputs.ShapeError("boxes-labels-scores", Expected);
        if (boxes.Shape.Length is not (2 or 3) || boxes.Shape[^1] != 4 || (boxes.Shape.Length == 3 && boxes.Shape[0] != 1))
        {
            throw outputs.ShapeError("boxes-labels-scores", Expected);
        }
        var n = (int)boxes.Shape[^2];
        var perBox = outputs.Tensors.Where(t => t != boxes && t.ElementCount == n && t.Shape.Length is 1 or 2).ToList();
        var labels = outputs.FindByNamePart("label") ?? outputs.FindByNamePart("class") ?? perBox.FirstOrDefault(ListedDetections.IsClassIds);
        var scores = outputs.FindByNamePart("score") ?? perBox.FirstOrDefault(t => t != labels);
        if (labels is null || scores is null || labels == scores || labels.ElementCount != n || scores.ElementCount != n)
        {
            throw outputs.ShapeError("boxes-labels-scores", Expected);
        }
        var b = ModelOutputs.Floats(boxes);
        var l = ModelOutputs.Floats(labels);
        var s = ModelOutputs.Floats(scores);
        var normalised = n > 0 && b.All(v => v is >= 0f and <= 1f);
        var (sx, sy) = normalised ? ((float)outputs.InputWidth, (float)outputs.InputHeight) : (1f, 1f);
        return ListedDetections.Collect(b, l, s, n, scoreThreshold, yFirst: false, sx, sy);
    }
}
