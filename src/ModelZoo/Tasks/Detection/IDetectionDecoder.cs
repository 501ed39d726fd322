namespace ModelZoo.Tasks;

/// <summary>Turns one image's raw detector outputs into candidate boxes in model-input pixels (suppression comes after).</summary>
internal interface IDetectionDecoder
{
    /// <summary>Candidates scoring at least <paramref name="scoreThreshold"/>.</summary>
    /// <param name="outputs">The model's outputs for one image.</param>
    /// <param name="classCount">Number of classes from the card's labels (count or list length plus offset), when known.</param>
    /// <param name="scoreThreshold">Minimum score to keep.</param>
    List<CandidateBox> Decode(ModelOutputs outputs, int? classCount, float scoreThreshold);
}
