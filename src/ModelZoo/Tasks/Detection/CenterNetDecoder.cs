namespace ModelZoo.Tasks;

/// <summary>
/// CenterNet ("Objects as Points"). Two forms, chosen by the outputs present:
/// <list type="bullet">
/// <item>a decoded output <c>[1, K, 6]</c> (x1, y1, x2, y2 in model-input pixels, score, class), as the
/// human-models export has next to its raw heads: used as is;</item>
/// <item>otherwise the raw heads: a class heatmap (<c>[1, H, W, classes]</c> or <c>[1, classes, H, W]</c>), a size
/// head with 2 channels (width, height) or 4 (distances left, top, right, bottom), and optionally a 2-channel
/// centre offset, all in heatmap cells. Peaks are heatmap values that equal the maximum of their 3×3
/// neighbourhood (the paper's max-pool NMS) and reach the score threshold; the best 100 are kept.</item>
/// </list>
/// Heatmap values are probabilities unless the card's output kind is <c>logits</c>.
/// </summary>
internal sealed class CenterNetDecoder : IDetectionDecoder
{
    private const int TopK = 100;

    public List<CandidateBox> Decode(ModelOutputs outputs, int? classCount, float scoreThreshold)
    {
        if (outputs.Tensors.FirstOrDefault(t => t.Shape.Length == 3 && t.Shape[0] == 1 && t.Shape[2] == 6) is { } decoded)
        {
            return FromDecoded(decoded, scoreThreshold);
        }
        var classes = classCount ?? 80;
        var heads = outputs.Tensors.Where(t => t.Shape.Length == 4 && t.Shape[0] == 1).Select(t => Head.Of(t)).ToList();
        var heatmap = heads.FirstOrDefault(h => h.Channels == classes)
            ?? throw outputs.ShapeError("centernet", $"a [1, K, 6] detections output, or a heatmap with {classes} channels plus size and offset heads");
        var size = heads.FirstOrDefault(h => h != heatmap && h.Rows == heatmap.Rows && h.Columns == heatmap.Columns
                && h.Tensor.Name.Contains("wh", StringComparison.OrdinalIgnoreCase))
            ?? heads.FirstOrDefault(h => h != heatmap && h.Rows == heatmap.Rows && h.Columns == heatmap.Columns && h.Channels is 2 or 4)
            ?? throw outputs.ShapeError("centernet", "a size head with 2 (width, height) or 4 (left, top, right, bottom) channels");
        var offset = heads.FirstOrDefault(h => h != heatmap && h != size && h.Channels == 2 && h.Rows == heatmap.Rows && h.Columns == heatmap.Columns);
        var logits = outputs.Card.Output?.Kind == OutputKind.Logits;
        var strideX = (float)outputs.InputWidth / heatmap.Columns;
        var strideY = (float)outputs.InputHeight / heatmap.Rows;

        var peaks = new List<(int Y, int X, int C, float Score)>();
        for (var y = 0; y < heatmap.Rows; y++)
        for (var x = 0; x < heatmap.Columns; x++)
        for (var c = 0; c < classes; c++)
        {
            var v = heatmap[y, x, c];
            var score = logits ? 1f / (1f + MathF.Exp(-v)) : v;
            if (score < scoreThreshold || !IsPeak(heatmap, y, x, c, v))
            {
                continue;
            }
            peaks.Add((y, x, c, score));
        }
        var result = new List<CandidateBox>();
        foreach (var (y, x, c, score) in peaks.OrderByDescending(p => p.Score).Take(TopK))
        {
            float cx = x, cy = y;
            if (offset is not null)
            {
                cx += offset[y, x, 0];
                cy += offset[y, x, 1];
            }
            float x1, y1, x2, y2;
            if (size.Channels == 4)
            {
                (x1, y1, x2, y2) = (cx - size[y, x, 0], cy - size[y, x, 1], cx + size[y, x, 2], cy + size[y, x, 3]);
            }
            else
            {
                var (hw, hh) = (size[y, x, 0] / 2, size[y, x, 1] / 2);
                (x1, y1, x2, y2) = (cx - hw, cy - hh, cx + hw, cy + hh);
            }
            result.Add(new CandidateBox(x1 * strideX, y1 * strideY, x2 * strideX, y2 * strideY, c, score));
        }
        return result;
    }

    private static List<CandidateBox> FromDecoded(NamedTensor tensor, float scoreThreshold)
    {
        var data = ModelOutputs.Floats(tensor);
        var result = new List<CandidateBox>();
        for (var i = 0; i < (int)tensor.Shape[1]; i++)
        {
            var row = data.AsSpan(6 * i, 6);
            if (row[4] >= scoreThreshold)
            {
                result.Add(new CandidateBox(row[0], row[1], row[2], row[3], (int)MathF.Round(row[5]), row[4]));
            }
        }
        return result;
    }

    /// <summary>True when no value in the 3×3 neighbourhood (same class) is larger: the value survives a 3×3 max-pool.</summary>
    private static bool IsPeak(Head heatmap, int y, int x, int c, float v)
    {
        for (var dy = -1; dy <= 1; dy++)
        for (var dx = -1; dx <= 1; dx++)
        {
            int ny = y + dy, nx = x + dx;
            if ((dy != 0 || dx != 0) && ny >= 0 && ny < heatmap.Rows && nx >= 0 && nx < heatmap.Columns && heatmap[ny, nx, c] > v)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A 4-d head read as (row, column, channel) whatever its layout: channels last when the last axis is the
    /// smallest, else channels first.</summary>
    private sealed class Head
    {
        private readonly float[] _data;
        private readonly bool _channelsLast;

        private Head(NamedTensor tensor, bool channelsLast)
        {
            Tensor = tensor;
            _data = ModelOutputs.Floats(tensor);
            _channelsLast = channelsLast;
            var s = tensor.Shape;
            (Rows, Columns, Channels) = channelsLast ? ((int)s[1], (int)s[2], (int)s[3]) : ((int)s[2], (int)s[3], (int)s[1]);
        }

        public NamedTensor Tensor { get; }
        public int Rows { get; }
        public int Columns { get; }
        public int Channels { get; }

        public float this[int y, int x, int c] => _channelsLast
            ? _data[(y * Columns + x) * Channels + c]
            : _data[(c * Rows + y) * Columns + x];

        public static Head Of(NamedTensor t) => new(t, channelsLast: t.Shape[3] <= t.Shape[1]);
    }
}
