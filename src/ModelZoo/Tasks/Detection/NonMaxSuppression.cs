namespace ModelZoo.Tasks;

/// <summary>Greedy non-maximum suppression over candidate boxes.</summary>
internal static class NonMaxSuppression
{
    /// <summary>
    /// Keeps the best box, drops every remaining box of the same class (any class when
    /// <paramref name="classAgnostic"/>) whose IoU with it exceeds <paramref name="iouThreshold"/>, and repeats;
    /// stops after <paramref name="maxBoxes"/>. Returns the kept boxes best first (ties by input order).
    /// </summary>
    public static List<CandidateBox> Apply(IReadOnlyList<CandidateBox> candidates, float iouThreshold, int maxBoxes, bool classAgnostic)
    {
        var order = Enumerable.Range(0, candidates.Count).OrderByDescending(i => candidates[i].Score).ThenBy(i => i).ToArray();
        var removed = new bool[candidates.Count];
        var kept = new List<CandidateBox>();
        for (var a = 0; a < order.Length && kept.Count < maxBoxes; a++)
        {
            if (removed[order[a]])
            {
                continue;
            }
            var best = candidates[order[a]];
            kept.Add(best);
            var bestBox = best.Box;
            for (var b = a + 1; b < order.Length; b++)
            {
                var other = candidates[order[b]];
                if (!removed[order[b]] && (classAgnostic || other.ClassIndex == best.ClassIndex)
                    && bestBox.IntersectionOverUnion(other.Box) > iouThreshold)
                {
                    removed[order[b]] = true;
                }
            }
        }
        return kept;
    }
}
