namespace ModelZoo.Cli.Infrastructure;

/// <summary>Draws a task's <see cref="ResultView"/> on the console: the image's heading, then its tables (rounded
/// borders, every cell escaped) or its note, then where the annotated image was saved.</summary>
public static class ResultViewWriter
{
    /// <summary>Writes one image's results.</summary>
    public static void Write(IAnsiConsole console, string path, ResultView view, string? savedImage)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(view);
        Formatting.WriteHeading(console, path, view.HeadingSuffix ?? "");
        if (view.Empty is { } note)
        {
            var hint = note.Hint is null ? "" : $" [grey]({Markup.Escape(note.Hint)})[/]";
            console.MarkupLine($"  [yellow]{Markup.Escape(note.Message)}[/]{hint}");
            return;
        }
        foreach (var table in view.Tables)
        {
            console.Write(ToTable(table));
        }
        if (savedImage is not null)
        {
            Formatting.WriteWhole(console, $"saved [blue]{Markup.Escape(Formatting.DisplayPath(savedImage))}[/]");
        }
    }

    private static Table ToTable(ResultTable result)
    {
        var table = new Table().Border(TableBorder.Rounded);
        if (result.Title is { } title)
        {
            table.Title(Markup.Escape(title));
        }
        foreach (var column in result.Columns)
        {
            var c = new TableColumn(Markup.Escape(column.Header));
            table.AddColumn(column.RightAligned ? c.RightAligned() : c);
        }
        foreach (var row in result.Rows)
        {
            table.AddRow(row.Select(Markup.Escape).ToArray());
        }
        return table;
    }
}
