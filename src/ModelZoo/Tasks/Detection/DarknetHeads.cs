namespace ModelZoo.Tasks;

/// <summary>
/// The heads of a model written by <c>zoo import darknet</c>: outputs <c>{kind}_N</c> [1, anchors × (5 + classes), H, W]
/// as libdarknet's YOLO or region layer leaves them, each with <c>{kind}_N_anchors</c> [anchors, 2] beside it. Per
/// anchor the channels are x, y (logistic applied), w, h (raw), objectness and the class probabilities.
/// </summary>
internal static class DarknetHeads
{
    public readonly record struct Head(float[] Data, float[] Anchors, int Count, int Classes, int Height, int Width);

    public static List<Head> Find(ModelOutputs outputs, string kind, int? classCount)
    {
        var heads = new List<Head>();
        foreach (var tensor in outputs.Tensors)
        {
            if (!tensor.Name.StartsWith(kind + "_", StringComparison.Ordinal) || tensor.Name.EndsWith("_anchors", StringComparison.Ordinal))
            {
                continue;
            }
            var anchors = outputs.Find(tensor.Name + "_anchors");
            if (tensor.Shape is not [1, var channels, var h, var w] || anchors?.Shape is not [var n, 2] || n <= 0 || channels % n != 0
                || channels / n < 6 || (classCount is int c && channels / n != 5 + c))
            {
                throw Error(outputs, kind, classCount);
            }
            heads.Add(new Head(ModelOutputs.Floats(tensor), ModelOutputs.Floats(anchors), (int)n, (int)(channels / n) - 5, (int)h, (int)w));
        }
        if (heads.Count == 0)
        {
            throw Error(outputs, kind, classCount);
        }
        return heads;
    }

    /// <summary>One candidate per class whose objectness × probability reaches the threshold, as libdarknet's
    /// detections keep every such class. <paramref name="size"/> gives the box size in input pixels from the raw
    /// w, h and the anchor.</summary>
    public static void Decode(Head head, int inputWidth, int inputHeight, float scoreThreshold, List<CandidateBox> result,
        Func<float, float, float, float, (float W, float H)> size)
    {
        var cells = head.Height * head.Width;
        var stride = 5 + head.Classes;
        for (var a = 0; a < head.Count; a++)
        {
            var baseChannel = a * stride;
            for (var row = 0; row < head.Height; row++)
            {
                for (var col = 0; col < head.Width; col++)
                {
                    var cell = row * head.Width + col;
                    float At(int channel) => head.Data[(baseChannel + channel) * cells + cell];
                    var objectness = At(4);
                    if (objectness < scoreThreshold)
                    {
                        continue;
                    }
                    var cx = (col + At(0)) / head.Width * inputWidth;
                    var cy = (row + At(1)) / head.Height * inputHeight;
                    var (w, h) = size(At(2), At(3), head.Anchors[2 * a], head.Anchors[2 * a + 1]);
                    for (var k = 0; k < head.Classes; k++)
                    {
                        var score = objectness * At(5 + k);
                        if (score >= scoreThreshold)
                        {
                            result.Add(new CandidateBox(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, k, score));
                        }
                    }
                }
            }
        }
    }

    private static ZooException Error(ModelOutputs outputs, string kind, int? classCount) => outputs.ShapeError("darknet-" + kind,
        $"outputs {kind}_N [1, anchors × ({(classCount is int c ? c.ToString(System.Globalization.CultureInfo.InvariantCulture) : "classes")} + 5), H, W] with {kind}_N_anchors [anchors, 2], as zoo import darknet writes them");
}
