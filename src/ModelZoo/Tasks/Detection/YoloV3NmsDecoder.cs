namespace ModelZoo.Tasks;

/// <summary>
/// keras-yolo3 exports with suppression in the graph (ONNX Model Zoo YOLOv3 and Tiny YOLOv3): candidate boxes
/// <c>[1, N, 4]</c> as y1, x1, y2, x2, per-class scores <c>[1, classes, N]</c> and the selected triples
/// <c>[M, 3]</c> or <c>[1, M, 3]</c> (batch, class, box). The pipeline feeds the graph's <c>image_shape</c> input the
/// model-input size, so the boxes are in model-input pixels. Tensors are found by shape.
/// </summary>
internal sealed class YoloV3NmsDecoder : IDetectionDecoder
{
    private const string Expected = "boxes [1, N, 4] (y1, x1, y2, x2), scores [1, classes, N] and selected indices [M, 3] (batch, class, box)";

    public List<CandidateBox> Decode(ModelOutputs outputs, int? classCount, float scoreThreshold)
    {
        var boxes = outputs.Tensors.FirstOrDefault(t => t.Shape.Length == 3 && t.Shape[0] == 1 && t.Shape[2] == 4 && !IsIndices(t))
            ?? throw outputs.ShapeError("yolov3-nms", Expected);
        var n = boxes.Shape[1];
        var indices = outputs.Tensors.FirstOrDefault(t => t != boxes && IsIndices(t) && t.Shape.Length is 2 or 3 && t.Shape[^1] == 3)
            ?? outputs.Tensors.FirstOrDefault(t => t != boxes && t.Shape.Length == 2 && t.Shape[^1] == 3)
            ?? outputs.Tensors.FirstOrDefault(t => t != boxes && t.Shape.Length == 3 && t.Shape[^1] == 3 && t.Shape[2] != n)
            ?? throw outputs.ShapeError("yolov3-nms", Expected);
        var scores = outputs.Tensors.FirstOrDefault(t => t.Shape.Length == 3 && t.Shape[0] == 1 && t.Shape[2] == n && t != boxes && t != indices)
            ?? throw outputs.ShapeError("yolov3-nms", Expected);
        var classes = (int)scores.Shape[1];
        var b = ModelOutputs.Floats(boxes);
        var s = ModelOutputs.Floats(scores);
        var selected = ModelOutputs.Floats(indices);
        var result = new List<CandidateBox>();
        for (var i = 0; i + 2 < selected.Length; i += 3)
        {
            int batch = (int)selected[i], cls = (int)selected[i + 1], box = (int)selected[i + 2];
            if (batch != 0 || cls < 0 || cls >= classes || box < 0 || box >= n)
            {
                continue;
            }
            var score = s[cls * n + box];
            if (score < scoreThreshold)
            {
                continue;
            }
            var r = b.AsSpan(4 * box, 4);
            result.Add(new CandidateBox(r[1], r[0], r[3], r[2], cls, score));
        }
        return result;
    }

    private static bool IsIndices(NamedTensor tensor) => tensor.Data is int[] or long[];
}
