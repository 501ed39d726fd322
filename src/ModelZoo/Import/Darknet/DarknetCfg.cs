using System.Text;

namespace ModelZoo.Import.Darknet;

/// <summary>
/// A parsed Darknet cfg: <c>[section]</c> headers and <c>key=value</c> lines. As libdarknet reads it, every whitespace
/// character is removed from a line first, and empty lines and lines starting with <c>#</c> or <c>;</c> are skipped.
/// The first section must be <c>[net]</c> (or <c>[network]</c>).
/// </summary>
internal sealed class DarknetCfg
{
    private DarknetCfg(DarknetSection net, IReadOnlyList<DarknetSection> layers)
    {
        Net = net;
        Layers = layers;
    }

    public DarknetSection Net { get; }

    public IReadOnlyList<DarknetSection> Layers { get; }

    public static DarknetCfg Parse(string text, string path)
    {
        var name = Path.GetFileName(path);
        var sections = new List<DarknetSection>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = Strip(raw);
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }
            if (line[0] == '[')
            {
                if (line[^1] != ']' || line.Length < 3)
                {
                    throw Invalid(path, $"{name} line {number}: '{line}' is not a [section] header", number);
                }
                sections.Add(new DarknetSection(line[1..^1], number, path));
                continue;
            }
            var eq = line.IndexOf('=');
            if (eq <= 0)
            {
                throw Invalid(path, $"{name} line {number}: '{Truncate(line)}' is neither a [section] nor key=value", number);
            }
            if (sections.Count == 0)
            {
                throw Invalid(path, $"{name} line {number}: an option before the first [section]", number);
            }
            sections[^1].Add(line[..eq], line[(eq + 1)..], number);
        }
        if (sections.Count == 0 || sections[0].Type is not ("net" or "network"))
        {
            throw Invalid(path, $"{name} does not start with a [net] section", sections.FirstOrDefault()?.Line);
        }
        if (sections.Count == 1)
        {
            throw Invalid(path, $"{name} has no layers after [net]", sections[0].Line);
        }
        return new DarknetCfg(sections[0], sections.Skip(1).ToList());
    }

    private static string Strip(string line)
    {
        var builder = new StringBuilder(line.Length);
        foreach (var c in line)
        {
            if (!char.IsWhiteSpace(c))
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";

    private static DarknetModelException Invalid(string path, string what, int? line) =>
        new(DarknetModelException.InvalidCode, path, $"{what}; check that the file is a Darknet cfg.") { Line = line };
}
