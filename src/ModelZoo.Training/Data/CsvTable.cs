using System.Text;

namespace ModelZoo.Training.Data;

/// <summary>
/// Reads RFC 4180 CSV: comma-separated fields, optional double quotes around a field, <c>""</c>
/// for a quote inside a quoted field, line breaks (LF or CRLF) allowed inside quotes.
/// </summary>
internal static class CsvTable
{
    /// <summary>One parsed record and the 1-based line on which it starts.</summary>
    internal readonly record struct Row(int Line, IReadOnlyList<string> Fields);

    public static List<Row> Parse(string text, string sourceName)
    {
        var rows = new List<Row>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var fieldWasQuoted = false;
        var line = 1;
        var rowStart = 1;
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;

        void EndField()
        {
            fields.Add(fieldWasQuoted ? field.ToString() : field.ToString().Trim());
            field.Clear();
            fieldWasQuoted = false;
        }

        void EndRow()
        {
            EndField();
            var blank = fields.Count == 1 && fields[0].Length == 0;
            if (!blank)
            {
                rows.Add(new Row(rowStart, fields.ToArray()));
            }

            fields.Clear();
        }

        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                inQuotes = ReadQuoted(text, ref i, field, ref line);
                continue;
            }

            switch (c)
            {
                case '"' when field.ToString().Trim().Length == 0 && !fieldWasQuoted:
                    field.Clear();
                    inQuotes = true;
                    fieldWasQuoted = true;
                    break;
                case '"':
                    throw new DatasetException(DatasetException.BadCsvCode, string.Create(CultureInfo.InvariantCulture,
                        $"{sourceName} line {line}: a quote appears inside an unquoted field; wrap the whole field in double quotes and double any quote inside it (\"\")."));
                case ',':
                    EndField();
                    break;
                case '\r':
                    break;
                case '\n':
                    EndRow();
                    line++;
                    rowStart = line;
                    break;
                default:
                    AppendUnquoted(field, c, fieldWasQuoted, sourceName, line);
                    break;
            }
        }

        if (inQuotes)
        {
            throw new DatasetException(DatasetException.BadCsvCode, string.Create(CultureInfo.InvariantCulture,
                $"{sourceName}: a quoted field starting on line {rowStart} is never closed; add the closing double quote."));
        }

        EndRow();
        return rows;
    }

    /// <summary>One character inside a quoted field at <paramref name="i"/>; returns whether the field is still open.</summary>
    private static bool ReadQuoted(string text, ref int i, StringBuilder field, ref int line)
    {
        var c = text[i];
        if (c != '"')
        {
            line += c == '\n' ? 1 : 0;
            field.Append(c);
            return true;
        }

        if (i + 1 < text.Length && text[i + 1] == '"')
        {
            field.Append('"');
            i++;
            return true;
        }

        return false;
    }

    /// <summary>One character outside quotes that is not a separator: part of the field, or an error after a closing quote.</summary>
    private static void AppendUnquoted(StringBuilder field, char c, bool fieldWasQuoted, string sourceName, int line)
    {
        if (fieldWasQuoted && !char.IsWhiteSpace(c))
        {
            throw new DatasetException(DatasetException.BadCsvCode, string.Create(CultureInfo.InvariantCulture,
                $"{sourceName} line {line}: text follows a closing quote; put the whole field inside the quotes."));
        }

        if (!fieldWasQuoted)
        {
            field.Append(c);
        }
    }
}
