namespace ModelZoo.Tasks;

/// <summary>Reads one attribute model's outputs for one face crop.</summary>
internal interface IFaceAttributeDecoder
{
    /// <param name="outputs">The model's outputs.</param>
    /// <param name="labels">Class names from the card, when it has them.</param>
    FaceAttributeValues Decode(ModelOutputs outputs, IReadOnlyList<string>? labels);
}
