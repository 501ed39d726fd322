namespace ModelZoo.Tasks;

/// <summary>
/// NanoDet (GFL head) with one output pair per feature level, as in the human-models TFJS export:
/// class scores <c>[1, cells, classes]</c> and box distributions <c>[1, cells, 4 × bins]</c>, where
/// <c>cells = ceil(W / stride) × ceil(H / stride)</c> for strides 8, 16, 32 (the stride of a level is found from
/// its cell count, so any set of power-of-two strides works).
/// </summary>
/// <remarks>
/// Decoding follows the Generalized Focal Loss description: each of the four distances (left, top, right,
/// bottom) is a discrete distribution over <c>bins = reg_max + 1</c> values; its expectation
/// <c>Σ softmax(d)_i · i</c> times the stride is the distance in model-input pixels from the cell centre
/// <c>((x + 0.5)·stride, (y + 0.5)·stride)</c>. Class scores are taken as probabilities (the export applies
/// the sigmoid) unless the card's output kind is <c>logits</c>.
/// </remarks>
internal sealed class NanoDetDecoder : IDetectionDecoder
{
    private static readonly int[] CandidateStrides = [4, 8, 16, 32, 64, 128];

    public List<CandidateBox> Decode(ModelOutputs outputs, int? classCount, float scoreThreshold)
    {
        var rank3 = outputs.Tensors.Where(t => t.Shape.Length == 3 && t.Shape[0] == 1 && t.Data is float[]).ToList();
        var classes = classCount ?? 80;
        var scoreTensors = rank3.Where(t => t.Shape[2] == classes).ToList();
        var regTensors = rank3.Where(t => t.Shape[2] != classes && t.Shape[2] % 4 == 0).ToList();
        if (scoreTensors.Count == 0)
        {
            throw outputs.ShapeError("nanodet", $"per-level scores [1, cells, {classes}] and box distributions [1, cells, 4 x bins]");
        }
        var logits = outputs.Card.Output?.Kind == OutputKind.Logits;
        var result = new List<CandidateBox>();
        foreach (var scores in scoreTensors)
        {
            var cells = (int)scores.Shape[1];
            var reg = regTensors.FirstOrDefault(t => t.Shape[1] == cells)
                ?? throw outputs.ShapeError("nanodet", $"a box distribution output [1, {cells}, 4 x bins] next to scores '{scores.Name}'");
            var (stride, columns) = LevelOf(cells, outputs.InputWidth, outputs.InputHeight)
                ?? throw outputs.ShapeError("nanodet", $"a level whose {cells} cells fit the {outputs.InputWidth}x{outputs.InputHeight} input at stride 8, 16, 32, …");
            DecodeLevel(scores, reg, stride, columns, classes, logits, scoreThreshold, result);
        }
        return result;
    }

    private static void DecodeLevel(NamedTensor scoreTensor, NamedTensor regTensor, int stride, int columns, int classes, bool logits,
        float scoreThreshold, List<CandidateBox> result)
    {
        var scores = (float[])scoreTensor.Data;
        var reg = (float[])regTensor.Data;
        var cells = (int)scoreTensor.Shape[1];
        var regWidth = (int)regTensor.Shape[2];
        var bins = regWidth / 4;
        Span<float> distances = stackalloc float[4];
        for (var cell = 0; cell < cells; cell++)
        {
            var row = scores.AsSpan(cell * classes, classes);
            var best = 0;
            for (var c = 1; c < classes; c++)
            {
                if (row[c] > row[best]) best = c;
            }
            var score = logits ? 1f / (1f + MathF.Exp(-row[best])) : row[best];
            if (score < scoreThreshold)
            {
                continue;
            }
            for (var side = 0; side < 4; side++)
            {
                distances[side] = Expectation(reg.AsSpan(cell * regWidth + side * bins, bins)) * stride;
            }
            var cx = (cell % columns + 0.5f) * stride;
            var cy = (cell / columns + 0.5f) * stride;
            result.Add(new CandidateBox(cx - distances[0], cy - distances[1], cx + distances[2], cy + distances[3], best, score));
        }
    }

    /// <summary>Σ softmax(logits)_i · i, computed stably.</summary>
    internal static float Expectation(ReadOnlySpan<float> logits)
    {
        var max = float.NegativeInfinity;
        foreach (var v in logits) max = Math.Max(max, v);
        float sum = 0f, weighted = 0f;
        for (var i = 0; i < logits.Length; i++)
        {
            var e = MathF.Exp(logits[i] - max);
            sum += e;
            weighted += e * i;
        }
        return weighted / sum;
    }

    private static (int Stride, int Columns)? LevelOf(int cells, int width, int height)
    {
        foreach (var stride in CandidateStrides)
        {
            var columns = (width + stride - 1) / stride;
            var rows = (height + stride - 1) / stride;
            if (columns * rows == cells)
            {
                return (stride, columns);
            }
        }
        return null;
    }
}
