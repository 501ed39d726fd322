namespace ModelZoo.Tasks;

/// <summary>
/// MediaPipe BlazeFace, shape-driven so that the keijiro ONNX files and the human-models TFJS export both work.
/// Outputs come in pairs with the same anchor count N: scores <c>[1, N, 1]</c> (logits) and regressors
/// <c>[1, N, 4 + 2·landmarks]</c>. Either one pair per feature level (<c>512</c> = 16×16 cells × 2 anchors and
/// <c>384</c> = 8×8 × 6 anchors for both the 128 front and 256 back models) or one concatenated pair
/// (<c>896</c>); finer levels come first in the anchor order.
/// </summary>
/// <remarks>
/// Anchors follow MediaPipe's SSD anchor options for BlazeFace (offset 0.5, fixed anchor size 1): the anchor of
/// cell (x, y) on a g×g level sits at <c>((x + 0.5) / g, (y + 0.5) / g)</c> of the input. Regressors are in
/// model-input pixels relative to the anchor: box centre offset, width, height, then landmark offsets.
/// Scores pass through a sigmoid (logits clipped to ±100 as MediaPipe does).
/// </remarks>
internal sealed class BlazeFaceDecoder : IFaceDecoder
{
    private static readonly string[] BlazeFaceLandmarks =
        ["right_eye", "left_eye", "nose_tip", "mouth_center", "right_ear_tragion", "left_ear_tragion"];

    private const string Expected = "score outputs [1, N, 1] with box regressors [1, N, 4 + 2 x landmarks] (N = 512 + 384 or 896)";

    public List<FaceCandidate> Decode(ModelOutputs outputs, float scoreThreshold)
    {
        var rank3 = outputs.Tensors.Where(t => t.Shape.Length == 3 && t.Shape[0] == 1).ToList();
        var pairs = rank3.Where(t => t.Shape[2] == 1)
            .Select(s => (Scores: s, Boxes: rank3.FirstOrDefault(b => b.Shape[1] == s.Shape[1] && b.Shape[2] >= 4 && (b.Shape[2] - 4) % 2 == 0)))
            .OrderByDescending(p => p.Scores.Shape[1])
            .ToList();
        if (pairs.Count == 0 || pairs.Any(p => p.Boxes is null))
        {
            throw outputs.ShapeError("blazeface", Expected);
        }
        var result = new List<FaceCandidate>();
        foreach (var (scores, boxes) in pairs)
        {
            var levels = LevelsOf((int)scores.Shape[1]) ?? throw outputs.ShapeError("blazeface", Expected);
            DecodePair(outputs, scores, boxes!, levels, scoreThreshold, result);
        }
        return result;
    }

    private static void DecodePair(ModelOutputs outputs, NamedTensor scoreTensor, NamedTensor boxTensor, (int Grid, int PerCell)[] levels,
        float scoreThreshold, List<FaceCandidate> result)
    {
        var scores = ModelOutputs.Floats(scoreTensor);
        var boxes = ModelOutputs.Floats(boxTensor);
        var width = (int)boxTensor.Shape[2];
        var landmarkCount = (width - 4) / 2;
        IReadOnlyList<string> names = landmarkCount == BlazeFaceLandmarks.Length
            ? BlazeFaceLandmarks
            : Enumerable.Range(0, landmarkCount).Select(i => $"landmark_{i}").ToArray();
        float inW = outputs.InputWidth, inH = outputs.InputHeight;
        var anchor = 0;
        foreach (var (grid, perCell) in levels)
        {
            for (var y = 0; y < grid; y++)
            for (var x = 0; x < grid; x++)
            for (var k = 0; k < perCell; k++, anchor++)
            {
                var score = 1f / (1f + MathF.Exp(-Math.Clamp(scores[anchor], -100f, 100f)));
                if (score < scoreThreshold)
                {
                    continue;
                }
                var ax = (x + 0.5f) / grid * inW;
                var ay = (y + 0.5f) / grid * inH;
                var r = boxes.AsSpan(anchor * width, width);
                float cx = ax + r[0], cy = ay + r[1], hw = r[2] / 2, hh = r[3] / 2;
                var landmarks = new float[2 * landmarkCount];
                for (var l = 0; l < landmarkCount; l++)
                {
                    landmarks[2 * l] = ax + r[4 + 2 * l];
                    landmarks[2 * l + 1] = ay + r[5 + 2 * l];
                }
                result.Add(new FaceCandidate(cx - hw, cy - hh, cx + hw, cy + hh, score, landmarks, names));
            }
        }
    }

    /// <summary>
    /// The feature levels behind N anchors: one square level with 2, 6 or 1 anchors per cell, or MediaPipe's
    /// two-level layout (a g×g grid with 2 anchors and a (g/2)×(g/2) grid with 6: N = 14·(g/2)²).
    /// </summary>
    internal static (int Grid, int PerCell)[]? LevelsOf(int anchors)
    {
        foreach (var perCell in new[] { 2, 6, 1 })
        {
            if (anchors % perCell == 0 && IsSquare(anchors / perCell, out var grid))
            {
                return [(grid, perCell)];
            }
        }
        if (anchors % 14 == 0 && IsSquare(anchors / 14, out var coarse))
        {
            return [(2 * coarse, 2), (coarse, 6)];
        }
        return null;
    }

    private static bool IsSquare(int n, out int root)
    {
        root = (int)Math.Round(Math.Sqrt(n));
        return root > 0 && root * root == n;
    }
}
