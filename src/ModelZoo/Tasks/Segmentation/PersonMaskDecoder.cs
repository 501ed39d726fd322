namespace ModelZoo.Tasks;

/// <summary>
/// Person segmentation (MediaPipe selfie, Meet): the primary output is <c>[1, H, W, 1]</c> person probability
/// (sigmoid applied when the card's output kind is <c>logits</c>) or <c>[1, H, W, 2]</c> (background, person) scores,
/// softmaxed unless the card says they are probabilities. Channels-first <c>[1, C, H, W]</c> works too.
/// </summary>
internal sealed class PersonMaskDecoder : ISegmentationDecoder
{
    public List<ProbabilityMap> Decode(ModelOutputs outputs, IReadOnlyList<string>? labels, int labelOffset)
    {
        var tensor = outputs.Primary;
        var s = tensor.Shape;
        if (s.Length != 4 || s[0] != 1)
        {
            throw outputs.ShapeError("selfie", "one output [1, H, W, 1] or [1, H, W, 2]");
        }
        bool channelsLast;
        if (s[3] is 1 or 2) channelsLast = true;
        else if (s[1] is 1 or 2) channelsLast = false;
        else throw outputs.ShapeError("selfie", "one output [1, H, W, 1] or [1, H, W, 2]");
        var (height, width, channels) = channelsLast ? ((int)s[1], (int)s[2], (int)s[3]) : ((int)s[2], (int)s[3], (int)s[1]);
        var data = ModelOutputs.Floats(tensor);
        var kind = outputs.Card.Output?.Kind;
        var values = new float[width * height];
        for (var i = 0; i < values.Length; i++)
        {
            if (channels == 1)
            {
                var v = data[i];
                values[i] = kind == OutputKind.Logits ? 1f / (1f + MathF.Exp(-v)) : v;
            }
            else
            {
                var (background, person) = channelsLast ? (data[2 * i], data[2 * i + 1]) : (data[i], data[values.Length + i]);
                values[i] = kind == OutputKind.Probabilities ? person : 1f / (1f + MathF.Exp(background - person));
            }
        }
        return [new ProbabilityMap("person", width, height, values)];
    }
}
