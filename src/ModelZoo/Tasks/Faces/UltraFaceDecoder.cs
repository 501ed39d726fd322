namespace ModelZoo.Tasks;

/// <summary>
/// Ultra-Light-Fast-Generic-Face-Detector (ONNX Model Zoo UltraFace): <c>scores [1, N, 2]</c> (background, face
/// probabilities) and <c>boxes [1, N, 4]</c> (x1, y1, x2, y2 normalised to the input); the priors are already
/// applied in the graph. No landmarks.
/// </summary>
internal sealed class UltraFaceDecoder : IFaceDecoder
{
    public List<FaceCandidate> Decode(ModelOutputs outputs, float scoreThreshold)
    {
        var scores = outputs.Tensors.FirstOrDefault(t => t.Shape.Length == 3 && t.Shape[2] == 2);
        var boxes = outputs.Tensors.FirstOrDefault(t => t.Shape.Length == 3 && t.Shape[2] == 4);
        if (scores is null || boxes is null || scores.Shape[1] != boxes.Shape[1])
        {
            throw outputs.ShapeError("ultraface", "scores [1, N, 2] and boxes [1, N, 4]");
        }
        var s = ModelOutputs.Floats(scores);
        var b = ModelOutputs.Floats(boxes);
        float w = outputs.InputWidth, h = outputs.InputHeight;
        var result = new List<FaceCandidate>();
        for (var i = 0; i < (int)scores.Shape[1]; i++)
        {
            var score = s[2 * i + 1];
            if (score >= scoreThreshold)
            {
                result.Add(new FaceCandidate(b[4 * i] * w, b[4 * i + 1] * h, b[4 * i + 2] * w, b[4 * i + 3] * h, score, [], []));
            }
        }
        return result;
    }
}
