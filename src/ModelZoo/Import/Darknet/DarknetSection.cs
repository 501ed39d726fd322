namespace ModelZoo.Import.Darknet;

/// <summary>One <c>[type]</c> section of a Darknet cfg with its <c>key=value</c> options and the lines they came from.
/// Getters parse strictly (libdarknet's <c>atoi</c> would read "3x" as 3) and name the line of a bad value.</summary>
/// <param name="type">The section name without brackets, e.g. <c>convolutional</c>.</param>
/// <param name="line">1-based line of the <c>[type]</c> header.</param>
/// <param name="path">The cfg file.</param>
internal sealed class DarknetSection(string type, int line, string path)
{
    private readonly Dictionary<string, (string Value, int Line)> _options = new(StringComparer.Ordinal);

    /// <summary>The section name without brackets, e.g. <c>convolutional</c>.</summary>
    public string Type { get; } = type;

    /// <summary>1-based line of the <c>[type]</c> header.</summary>
    public int Line { get; } = line;

    public string Path { get; } = path;

    /// <summary>Keeps the first value of a key, as libdarknet's option lookup does.</summary>
    public void Add(string key, string value, int line) => _options.TryAdd(key, (value, line));

    public bool Has(string key) => _options.ContainsKey(key);

    public string? String(string key) => _options.TryGetValue(key, out var v) ? v.Value : null;

    public string String(string key, string fallback) => String(key) ?? fallback;

    public int Int(string key, int fallback) => _options.TryGetValue(key, out var v) ? ParseInt(key, v.Value, v.Line) : fallback;

    /// <summary>An integer option that must be present.</summary>
    public int Int(string key) => _options.TryGetValue(key, out var v)
        ? ParseInt(key, v.Value, v.Line)
        : throw Invalid($"[{Type}] at line {Line} has no '{key}'", Line);

    public float Float(string key, float fallback)
    {
        if (!_options.TryGetValue(key, out var v))
        {
            return fallback;
        }
        return float.TryParse(v.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && float.IsFinite(f)
            ? f
            : throw Invalid($"'{key}={v.Value}' at line {v.Line} is not a number", v.Line);
    }

    public int[]? Ints(string key) => _options.TryGetValue(key, out var v)
        ? Split(v.Value).Select(s => ParseInt(key, s, v.Line)).ToArray()
        : null;

    public float[]? Floats(string key)
    {
        if (!_options.TryGetValue(key, out var v))
        {
            return null;
        }
        return Split(v.Value).Select(s => float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && float.IsFinite(f)
            ? f
            : throw Invalid($"'{key}={v.Value}' at line {v.Line} holds '{s}', which is not a number", v.Line)).ToArray();
    }

    /// <summary>The line of <paramref name="key"/>, else the section's.</summary>
    public int LineOf(string key) => _options.TryGetValue(key, out var v) ? v.Line : Line;

    /// <summary>A value outside what libdarknet accepts (or what would give an empty tensor).</summary>
    public DarknetModelException Invalid(string what, int? line = null) => new(DarknetModelException.InvalidCode, Path,
        $"{System.IO.Path.GetFileName(Path)}: {what}; fix the cfg (every layer needs the values libdarknet's parser reads).")
    {
        LayerType = Type,
        Line = line ?? Line,
    };

    /// <summary>A layer, or a layer option, the importer does not translate.</summary>
    public DarknetModelException Unsupported(string what, int? line = null) => new(DarknetModelException.UnsupportedCode, Path,
        $"{System.IO.Path.GetFileName(Path)} line {line ?? Line}: [{Type}] {what}; the importer translates convolutional, connected, crop, " +
        "maxpool, avgpool, route, shortcut, upsample, reorg, yolo, region, softmax, dropout and cost layers, so convert the model another way.")
    {
        LayerType = Type,
        Line = line ?? Line,
    };

    private int ParseInt(string key, string value, int line) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)
            ? i
            : throw Invalid($"'{key}={value}' at line {line} is not an integer", line);

    private static string[] Split(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
