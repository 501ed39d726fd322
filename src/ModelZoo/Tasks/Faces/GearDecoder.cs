namespace ModelZoo.Tasks;

/// <summary>
/// GEAR predictor (human-models <c>gear</c>): three softmax outputs found by size: age over 7 bins (below 20,
/// 21–25, 26–30, 31–40, 41–50, 51–60, above 60), gender (male, female) and race (5 groups, not reported). The age
/// is the probability-weighted mean of the bin centres 15, 23, 28, 35.5, 45.5, 55.5 and 65.
/// </summary>
internal sealed class GearDecoder : IFaceAttributeDecoder
{
    private static readonly float[] AgeCentres = [15f, 23f, 28f, 35.5f, 45.5f, 55.5f, 65f];

    public FaceAttributeValues Decode(ModelOutputs outputs, IReadOnlyList<string>? labels)
    {
        var age = outputs.Tensors.FirstOrDefault(t => t.ElementCount == AgeCentres.Length);
        var gender = outputs.Tensors.FirstOrDefault(t => t.ElementCount == 2);
        if (age is null || gender is null)
        {
            throw outputs.ShapeError("gear", "an age output [1, 7] and a gender output [1, 2]");
        }
        var p = ModelOutputs.Floats(age);
        var total = p.Sum();
        var years = total > 0 ? p.Select((v, i) => v * AgeCentres[i]).Sum() / total : AgeCentres[Array.IndexOf(p, p.Max())];
        var g = ModelOutputs.Floats(gender);
        var male = g[0] + g[1] > 0 ? g[0] / (g[0] + g[1]) : 0.5f;
        return FaceAttributeValues.FromMaleProbability(male) with { Age = years };
    }
}
