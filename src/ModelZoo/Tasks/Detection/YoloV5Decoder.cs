namespace ModelZoo.Tasks;

/// <summary>
/// Ultralytics YOLOv5 export: one output <c>[1, anchors, 5 + classes]</c> holding centre x, centre y, width,
/// height in model-input pixels, objectness, then per-class probabilities (all already sigmoid). The score of
/// an anchor is objectness × its best class probability.
/// </summary>
internal sealed class YoloV5Decoder : IDetectionDecoder
{
    public List<CandidateBox> Decode(ModelOutputs outputs, int? classCount, float scoreThreshold)
    {
        var tensor = outputs.Primary;
        var shape = tensor.Shape;
        if (shape.Length != 3 || shape[0] != 1 || shape[2] < 6 || (classCount is int nc && shape[2] != 5 + nc))
        {
            throw outputs.ShapeError("yolov5", classCount is int n ? $"one output [1, anchors, {5 + n}]" : "one output [1, anchors, 5 + classes]");
        }
        var rows = (int)shape[1];
        var width = (int)shape[2];
        var data = ModelOutputs.Floats(tensor);
        var result = new List<CandidateBox>();
        for (var r = 0; r < rows; r++)
        {
            var row = data.AsSpan(r * width, width);
            if (!YoloRows.TryScore(row, scoreThreshold, out var best, out var score))
            {
                continue;
            }
            float cx = row[0], cy = row[1], w = row[2], h = row[3];
            result.Add(new CandidateBox(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, best, score));
        }
        return result;
    }
}
