namespace ModelZoo.Tasks;

/// <summary>
/// ONNX Model Zoo YOLOv4 (tensorflow-yolov4-tflite): three raw heads <c>[1, g, g, 3, 5 + classes]</c> at strides
/// 8, 16 and 32 (52, 26 and 13 cells for a 416 input). Per anchor: centre = ((sigmoid(tx) × s − (s − 1) / 2) + cell) ×
/// stride with the card's XY scale s per head (<c>output.xyScales</c>; the zoo's 1.2, 1.1, 1.05); size = exp(tw) ×
/// anchor (the card's <c>output.anchors</c>, the published COCO anchors in input pixels for the built-in card); objectness and class scores are taken as the graph emits them (already probabilities, as the zoo's
/// reference post-processing uses them) and the score is objectness × best class probability.
/// </summary>
internal sealed class YoloV4Decoder : IDetectionDecoder
{
    public List<CandidateBox> Decode(ModelOutputs outputs, int? classCount, float scoreThreshold)
    {
        var heads = outputs.Tensors.Where(t => t.Shape.Length == 5 && t.Shape[0] == 1 && t.Shape[3] == 3).OrderByDescending(t => t.Shape[1]).ToList();
        var expected = classCount is int nc ? $"three outputs [1, g, g, 3, {5 + nc}] at strides 8, 16, 32" : "three outputs [1, g, g, 3, 5 + classes] at strides 8, 16, 32";
        if (heads.Count != 3 || heads.Any(h => h.Shape[4] < 6 || h.Shape[4] != heads[0].Shape[4] || h.Shape[1] != h.Shape[2])
            || (classCount is int c && heads[0].Shape[4] != 5 + c))
        {
            throw outputs.ShapeError("yolov4", expected);
        }
        var (anchors, xyScales) = AnchorsOf(outputs);
        var result = new List<CandidateBox>();
        for (var level = 0; level < 3; level++)
        {
            var head = heads[level];
            var grid = (int)head.Shape[1];
            var width = (int)head.Shape[4];
            float strideX = (float)outputs.InputWidth / grid, strideY = (float)outputs.InputHeight / grid;
            var scale = xyScales[level];
            var data = ModelOutputs.Floats(head);
            for (var row = 0; row < grid; row++)
            {
                for (var col = 0; col < grid; col++)
                {
                    for (var a = 0; a < 3; a++)
                    {
                        var v = data.AsSpan(((row * grid + col) * 3 + a) * width, width);
                        if (!YoloRows.TryScore(v, scoreThreshold, out var best, out var score))
                        {
                            continue;
                        }
                        var cx = (Sigmoid(v[0]) * scale - 0.5f * (scale - 1f) + col) * strideX;
                        var cy = (Sigmoid(v[1]) * scale - 0.5f * (scale - 1f) + row) * strideY;
                        var w = MathF.Exp(v[2]) * anchors[level][2 * a];
                        var h = MathF.Exp(v[3]) * anchors[level][2 * a + 1];
                        result.Add(new CandidateBox(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, best, score));
                    }
                }
            }
        }
        return result;
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    /// <summary>The card's anchors (three heads of three (w, h) pairs) and XY scales (1 when it names none).</summary>
    private static (IReadOnlyList<IReadOnlyList<float>> Anchors, IReadOnlyList<float> XyScales) AnchorsOf(ModelOutputs outputs)
    {
        var output = outputs.Card.Output;
        if (output?.Anchors is not { Count: 3 } anchors || anchors.Any(level => level is not { Count: 6 }))
        {
            throw ZooErrors.CardOutputAnchors.Raise(
                $"the card of '{outputs.Card.Handle}' gives no yolov4 anchors; set output.anchors to three lists of three (width, height) pairs in input pixels, finest stride first.");
        }
        if (output.XyScales is { } scales && scales.Count != 3)
        {
            throw ZooErrors.CardOutputAnchors.Raise(
                $"the card of '{outputs.Card.Handle}' gives {scales.Count} output.xyScales for three heads; give one per head or leave it out.");
        }
        return (anchors, output.XyScales ?? [1f, 1f, 1f]);
    }
}
