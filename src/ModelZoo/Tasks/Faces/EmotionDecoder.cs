using System.Numerics.Tensors;

namespace ModelZoo.Tasks;

/// <summary>
/// Emotion classifier: one output <c>[1, K]</c> of class scores, softmaxed when the card's output kind is
/// <c>logits</c>. Names come from the card's labels (the built-in oarriaga/face_classification card names the seven of
/// <c>builtin:emotion7</c>, FER+ cards <c>builtin:ferplus8</c>).
/// </summary>
internal sealed class EmotionDecoder : IFaceAttributeDecoder
{
    public FaceAttributeValues Decode(ModelOutputs outputs, IReadOnlyList<string>? labels)
    {
        var tensor = outputs.Primary;
        var names = labels ?? throw ZooErrors.CardLabelsMissing.Raise(
            $"the card of '{outputs.Card.Handle}' names no emotion labels; add a 'labels' section (for example builtin:emotion7).");
        if (tensor.ElementCount != names.Count)
        {
            throw outputs.ShapeError("emotion", $"one output [1, {names.Count}] of emotion scores");
        }
        var scores = ModelOutputs.Floats(tensor);
        var p = new float[scores.Length];
        if (outputs.Card.Output?.Kind == OutputKind.Logits)
        {
            TensorPrimitives.SoftMax(scores, p);
        }
        else
        {
            scores.CopyTo(p, 0);
        }
        var best = TensorPrimitives.IndexOfMax(p);
        var table = new Dictionary<string, float>(StringComparer.Ordinal);
        for (var i = 0; i < p.Length; i++)
        {
            table[names[i]] = p[i];
        }
        return new FaceAttributeValues(Emotion: names[best], EmotionScores: table);
    }
}
