namespace ModelZoo.Tasks;

/// <summary>Plain and weighted (MediaPipe's "WEIGHTED" overlap type) non-maximum suppression of face candidates.</summary>
internal static class FaceSuppression
{
    /// <summary>
    /// Takes the best remaining face and every remaining face overlapping it by more than
    /// <paramref name="iouThreshold"/>; with <paramref name="weighted"/> the group's box and landmarks are averaged
    /// weighted by score (the score stays the best one), otherwise the best face is kept as is.
    /// </summary>
    public static List<FaceCandidate> Apply(List<FaceCandidate> candidates, float iouThreshold, int maxFaces, bool weighted)
    {
        var remaining = candidates.OrderByDescending(c => c.Score).ToList();
        var kept = new List<FaceCandidate>();
        while (remaining.Count > 0 && kept.Count < maxFaces)
        {
            var best = remaining[0];
            var bestBox = best.Box;
            var group = remaining.Where(c => c == best || bestBox.IntersectionOverUnion(c.Box) > iouThreshold).ToList();
            remaining = remaining.Except(group).ToList();
            if (!weighted || group.Count == 1)
            {
                kept.Add(best);
                continue;
            }
            var total = group.Sum(c => c.Score);
            float Blend(Func<FaceCandidate, float> value) => group.Sum(c => value(c) * c.Score) / total;
            var landmarks = new float[best.Landmarks.Length];
            for (var i = 0; i < landmarks.Length; i++)
            {
                landmarks[i] = Blend(c => c.Landmarks[i]);
            }
            kept.Add(best with { X1 = Blend(c => c.X1), Y1 = Blend(c => c.Y1), X2 = Blend(c => c.X2), Y2 = Blend(c => c.Y2), Landmarks = landmarks });
        }
        return kept;
    }
}
