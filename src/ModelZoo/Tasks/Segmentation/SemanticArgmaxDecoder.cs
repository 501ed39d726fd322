namespace ModelZoo.Tasks;

/// <summary>
/// Semantic segmentation with one score channel per class (FCN, DeepLab): the primary output is <c>[1, C, H, W]</c>
/// (or <c>[1, H, W, C]</c> when the last dimension matches the card's class count and the second does not). Every
/// pixel takes its highest-scoring class; each class that wins at least one pixel yields a map that is 1 where it
/// wins and 0 elsewhere, named from the card's labels. Raw indices below the label offset (background) yield none.
/// </summary>
internal sealed class SemanticArgmaxDecoder : ISegmentationDecoder
{
    public List<ProbabilityMap> Decode(ModelOutputs outputs, IReadOnlyList<string>? labels, int labelOffset)
    {
        var tensor = outputs.Primary;
        var s = tensor.Shape;
        if (s.Length != 4 || s[0] != 1)
        {
            throw outputs.ShapeError("semantic-argmax", "one output [1, classes, H, W]");
        }
        var expected = outputs.Card.Output?.Size ?? outputs.Card.Labels?.Count;
        var channelsLast = expected is int c && s[3] == c && s[1] != c;
        var (classes, height, width) = channelsLast ? ((int)s[3], (int)s[1], (int)s[2]) : ((int)s[1], (int)s[2], (int)s[3]);
        if (classes < 2)
        {
            throw outputs.ShapeError("semantic-argmax", "one output [1, classes, H, W] with at least two classes");
        }
        var data = ModelOutputs.Floats(tensor);
        var plane = width * height;
        var winner = new int[plane];
        for (var p = 0; p < plane; p++)
        {
            var best = 0;
            var bestValue = channelsLast ? data[p * classes] : data[p];
            for (var k = 1; k < classes; k++)
            {
                var v = channelsLast ? data[p * classes + k] : data[k * plane + p];
                if (v > bestValue)
                {
                    best = k;
                    bestValue = v;
                }
            }
            winner[p] = best;
        }
        var maps = new List<ProbabilityMap>();
        foreach (var cls in winner.Distinct().Where(k => k >= labelOffset).Order())
        {
            var values = new float[plane];
            for (var p = 0; p < plane; p++)
            {
                values[p] = winner[p] == cls ? 1f : 0f;
            }
            maps.Add(new ProbabilityMap(TaskGuard.LabelOf(labels, labelOffset, cls), width, height, values));
        }
        return maps;
    }
}
