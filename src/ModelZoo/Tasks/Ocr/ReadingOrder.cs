namespace ModelZoo.Tasks.Ocr;

/// <summary>
/// Puts line boxes in reading order: top to bottom, and left to right among boxes that share a line band (their
/// vertical centres are within half the smaller box height of the band's centre).
/// </summary>
internal static class ReadingOrder
{
    public static List<(double X, double Y)[]> Sort(List<(double X, double Y)[]> quads)
    {
        var items = quads.Select(q => (Quad: q, Cy: q.Average(p => p.Y), Height: q.Max(p => p.Y) - q.Min(p => p.Y), Left: q.Min(p => p.X)))
            .OrderBy(i => i.Cy).ThenBy(i => i.Left).ToList();
        var result = new List<(double X, double Y)[]>(quads.Count);
        var i0 = 0;
        while (i0 < items.Count)
        {
            var bandCy = items[i0].Cy;
            var bandHeight = items[i0].Height;
            var end = i0 + 1;
            while (end < items.Count && Math.Abs(items[end].Cy - bandCy) <= 0.5 * Math.Min(items[end].Height, bandHeight))
            {
                end++;
            }
            result.AddRange(items.Skip(i0).Take(end - i0).OrderBy(i => i.Left).Select(i => i.Quad));
            i0 = end;
        }
        return result;
    }
}
