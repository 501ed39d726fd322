namespace ModelZoo.Tasks;

/// <summary>A table of one image's results as plain text cells; the host draws it (borders, escaping, colour).</summary>
/// <param name="Title">Shown above the table, or null.</param>
/// <param name="Columns">The columns, left to right.</param>
/// <param name="Rows">One list of cells per row, as many as <paramref name="Columns"/>.</param>
public sealed record ResultTable(string? Title, IReadOnlyList<ResultColumn> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);
