namespace ModelZoo.Tasks;

/// <summary>
/// Ultralytics YOLOv8 / YOLO11 export: one output <c>[1, 4 + classes, anchors]</c> (or transposed
/// <c>[1, anchors, 4 + classes]</c>) holding centre x, centre y, width, height in model-input pixels
/// followed by per-class scores (already sigmoid); no objectness. The score of an anchor is its best class.
/// </summary>
internal sealed class YoloV8Decoder : IDetectionDecoder
{
    public List<CandidateBox> Decode(ModelOutputs outputs, int? classCount, float scoreThreshold)
    {
        var tensor = outputs.Primary;
        var shape = tensor.Shape;
        if (shape.Length != 3 || shape[0] != 1)
        {
            throw outputs.ShapeError("yolov8", "one output [1, 4 + classes, anchors]");
        }
        // Channels-first unless the channel count (known from the labels, or the smaller axis) is the last axis.
        var channels = classCount is int nc ? 4 + nc : (int)Math.Min(shape[1], shape[2]);
        bool channelsFirst;
        if (shape[1] == channels) channelsFirst = true;
        else if (shape[2] == channels) channelsFirst = false;
        else throw outputs.ShapeError("yolov8", $"[1, {channels}, anchors] (4 box values + {channels - 4} classes)");
        var anchors = (int)(channelsFirst ? shape[2] : shape[1]);
        var data = ModelOutputs.Floats(tensor);
        float At(int anchor, int channel) => channelsFirst ? data[channel * anchors + anchor] : data[anchor * channels + channel];

        var result = new List<CandidateBox>();
        for (var a = 0; a < anchors; a++)
        {
            int best = -1;
            var bestScore = float.NegativeInfinity;
            for (var c = 4; c < channels; c++)
            {
                var s = At(a, c);
                if (s > bestScore)
                {
                    bestScore = s;
                    best = c - 4;
                }
            }
            if (best < 0 || bestScore < scoreThreshold)
            {
                continue;
            }
            float cx = At(a, 0), cy = At(a, 1), w = At(a, 2), h = At(a, 3);
            result.Add(new CandidateBox(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, best, bestScore));
        }
        return result;
    }
}
