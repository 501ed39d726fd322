using Spectre.Console.Rendering;

namespace ModelZoo.Cli.Infrastructure;

/// <summary>
/// A table whose cells are printed whole, whatever the width: a bordered table on a terminal wide enough for it,
/// aligned plain columns in a pipe (easy to grep and cut), and, when a row cannot fit on one line, each row as its
/// first cell on a line of its own with the other cells aligned, indented, below it. Nothing is ever truncated.
/// </summary>
public sealed class TextTable
{
    private readonly List<(string Header, bool Right)> _columns = [];
    private readonly List<(string Text, Style? Style)[]> _rows = [];

    /// <summary>Adds a column; right-aligned columns suit numbers.</summary>
    public TextTable Column(string header, bool right = false)
    {
        _columns.Add((header, right));
        return this;
    }

    /// <summary>Adds a row of plain-text cells.</summary>
    public TextTable Row(params string[] cells) => Row(cells.Select(c => (c, (Style?)null)).ToArray());

    /// <summary>Adds a row of plain-text cells, each with an optional colour for terminals.</summary>
    public TextTable Row(params (string Text, Style? Style)[] cells)
    {
        if (cells.Length != _columns.Count)
        {
            throw new ArgumentException($"a row needs {_columns.Count} cells, got {cells.Length}", nameof(cells));
        }
        _rows.Add(cells);
        return this;
    }

    /// <summary>Prints the table in the layout that fits <paramref name="console"/>.</summary>
    public void Write(IAnsiConsole console)
    {
        var width = console.Profile.Width;
        var widths = Enumerable.Range(0, _columns.Count)
            .Select(i => Math.Max(_columns[i].Header.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Text.Length)))
            .ToArray();
        var plain = widths.Sum() + 2 * (widths.Length - 1);
        // A rounded table adds a border and a space either side of every cell.
        var bordered = widths.Sum() + 3 * widths.Length + 1;
        if (console.Profile.Capabilities.Ansi && bordered <= width)
        {
            WriteBordered(console);
        }
        else if (plain <= width || _columns.Count == 1)
        {
            WriteLine(console, Enumerable.Range(0, _columns.Count).Select(i => (_columns[i].Header, (Style?)new Style(decoration: Decoration.Bold))).ToArray(), widths, 0);
            foreach (var row in _rows)
            {
                WriteLine(console, row, widths, 0);
            }
        }
        else
        {
            var rest = widths.Skip(1).ToArray();
            WriteLine(console, [(_columns[0].Header, new Style(decoration: Decoration.Bold))], [widths[0]], 0);
            WriteLine(console, _columns.Skip(1).Select(c => (c.Header, (Style?)new Style(decoration: Decoration.Bold))).ToArray(), rest, 1, indent: 2);
            foreach (var row in _rows)
            {
                WriteLine(console, [row[0]], [widths[0]], 0);
                WriteLine(console, row.Skip(1).ToArray(), rest, 1, indent: 2);
            }
        }
    }

    private void WriteBordered(IAnsiConsole console)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var (header, right) in _columns)
        {
            var column = new TableColumn(Markup.Escape(header)).NoWrap();
            table.AddColumn(right ? column.RightAligned() : column);
        }
        foreach (var row in _rows)
        {
            table.AddRow(row.Select(c => (IRenderable)new Text(c.Text, c.Style ?? Style.Plain)).ToArray());
        }
        console.Write(table);
    }

    private void WriteLine(IAnsiConsole console, (string Text, Style? Style)[] cells, int[] widths, int firstColumn, int indent = 0)
    {
        var line = new Paragraph();
        line.Append(new string(' ', indent));
        for (var i = 0; i < cells.Length; i++)
        {
            var (text, style) = cells[i];
            var last = i == cells.Length - 1;
            var pad = new string(' ', Math.Max(0, widths[i] - text.Length));
            var right = _columns[firstColumn + i].Right;
            if (right)
            {
                line.Append(pad);
            }
            line.Append(text, style ?? Style.Plain);
            if (!right && !last)
            {
                line.Append(pad);
            }
            if (!last)
            {
                line.Append("  ");
            }
        }
        // A paragraph wider than the console would be wrapped by the renderer; write it as one line instead.
        var width = console.Profile.Width;
        console.Profile.Width = Math.Max(width, indent + widths.Sum() + 2 * widths.Length);
        try
        {
            console.Write(line);
            console.WriteLine();
        }
        finally
        {
            console.Profile.Width = width;
        }
    }
}
