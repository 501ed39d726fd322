namespace ModelZoo.Tasks;

/// <summary>Two-class gender classifier (human-models <c>gender</c>, from oarriaga/face_classification): softmax over (female, male).</summary>
internal sealed class GenderDecoder : IFaceAttributeDecoder
{
    public FaceAttributeValues Decode(ModelOutputs outputs, IReadOnlyList<string>? labels)
    {
        var tensor = outputs.Primary;
        if (tensor.ElementCount != 2)
        {
            throw outputs.ShapeError("gender", "one output [1, 2] of (female, male) probabilities");
        }
        var p = ModelOutputs.Floats(tensor);
        return FaceAttributeValues.FromMaleProbability(p[1] / (p[0] + p[1]));
    }
}
