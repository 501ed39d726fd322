namespace ModelZoo.Tasks;

/// <summary>Cell text shared by the tasks' <see cref="ResultView"/>s, so that every table writes a box the same way.</summary>
public static class ResultCells
{
    /// <summary>A box as <c>x, y, w, h</c> in whole pixels.</summary>
    public static string Box(BoundingBox box) =>
        string.Create(CultureInfo.InvariantCulture, $"{box.X:0}, {box.Y:0}, {box.Width:0}, {box.Height:0}");

    /// <summary>A score (0–1) as a percentage with one decimal.</summary>
    public static string Percent(float score) => score.ToString("P1", CultureInfo.InvariantCulture);
}
