namespace ModelZoo.Tasks;

/// <summary>Scores the rows of YOLO heads laid out as box (4 values), objectness, then one probability per class.</summary>
internal static class YoloRows
{
    /// <summary>Objectness × the best class probability of <paramref name="row"/>; false when either falls below
    /// <paramref name="scoreThreshold"/> (the classes are not looked at when objectness already does).</summary>
    public static bool TryScore(ReadOnlySpan<float> row, float scoreThreshold, out int best, out float score)
    {
        best = 0;
        score = 0f;
        var objectness = row[4];
        if (objectness < scoreThreshold)
        {
            return false;
        }
        for (var c = 1; c < row.Length - 5; c++)
        {
            if (row[5 + c] > row[5 + best]) best = c;
        }
        score = objectness * row[5 + best];
        // Written as "not below" so that a NaN score is kept, as the decoders always did.
        return !(score < scoreThreshold);
    }
}
