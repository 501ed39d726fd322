using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace ModelZoo.Catalog;

/// <summary>
/// Class-name lists: the built-in ones shipped with the library (ImageNet-1k, COCO, Pascal VOC, FER+) and
/// those shipped as a model's own file. Index <c>i</c> of a list names output class <c>i + LabelsSpec.Offset</c>.
/// </summary>
public static partial class LabelSets
{
    /// <summary>Prefix of a built-in label set reference, e.g. <c>builtin:imagenet1k</c>.</summary>
    public const string BuiltinPrefix = "builtin:";

    /// <summary>Prefix of a reference to one of the card's files, e.g. <c>file:ppocr_keys_v1.txt</c>.</summary>
    public const string FilePrefix = "file:";

    /// <summary>Names accepted by <see cref="Builtin"/>:
    /// <c>imagenet1k</c> (1000 ILSVRC-2012 classes in synset order, first WordNet name of each),
    /// <c>imagenet1k_wnids</c> (the matching WordNet ids),
    /// <c>coco80</c> (the 80 COCO detection classes),
    /// <c>coco91</c> (COCO category ids 0..90: index 0 <c>background</c>, unused ids <c>N/A</c>),
    /// <c>voc20</c> (Pascal VOC, without background), <c>ferplus8</c> (FER+ emotions) and <c>emotion7</c> (the FER2013
    /// emotions in oarriaga/face_classification's order).</summary>
    public static IReadOnlyList<string> BuiltinNames { get; } = ["imagenet1k", "imagenet1k_wnids", "coco80", "coco91", "voc20", "ferplus8", "emotion7"];

    private static readonly ConcurrentDictionary<string, IReadOnlyList<string>> Cache = new(StringComparer.Ordinal);

    /// <summary>Returns a built-in label set by name (see <see cref="BuiltinNames"/>).</summary>
    /// <exception cref="ZooUsageException">The name is not a built-in set.</exception>
    public static IReadOnlyList<string> Builtin(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!BuiltinNames.Contains(name))
        {
            throw new ZooUsageException($"'{name}' is not a built-in label set; use one of {string.Join(", ", BuiltinNames)}.");
        }
        return Cache.GetOrAdd(name, static n => Array.AsReadOnly(ReadResource(n)));
    }

    /// <summary>
    /// Loads the labels a card refers to. <c>builtin:NAME</c> reads a built-in set; <c>file:NAME</c> asks
    /// <paramref name="pathOfFile"/> for the local path of the card's file NAME and reads it: lines of the form
    /// <c>n01440764 tench, Tinca tinca</c> (synset.txt) give their first name, any other file gives one label per line
    /// exactly as written (PaddleOCR key files contain labels that are punctuation or spaces).
    /// </summary>
    /// <exception cref="ZooUsageException">The source is malformed, or a file is named but no <paramref name="pathOfFile"/> was given.</exception>
    public static IReadOnlyList<string> Load(LabelsSpec spec, Func<string, string>? pathOfFile = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Source.StartsWith(BuiltinPrefix, StringComparison.Ordinal))
        {
            return Builtin(spec.Source[BuiltinPrefix.Length..]);
        }
        if (spec.Source.StartsWith(FilePrefix, StringComparison.Ordinal))
        {
            var name = spec.Source[FilePrefix.Length..];
            if (pathOfFile is null)
            {
                throw new ZooUsageException($"labels '{spec.Source}' come from a model file; pull the model and pass a resolver for its files.");
            }
            return Parse(File.ReadAllText(pathOfFile(name)));
        }
        throw new ZooUsageException($"labels source '{spec.Source}' is not valid; use builtin:NAME or file:NAME.");
    }

    /// <summary>Parses the text of a label file (see <see cref="Load"/> for the accepted forms).</summary>
    public static IReadOnlyList<string> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        // A trailing newline ends the last line rather than starting an empty label.
        var count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        var labels = new string[count];
        var synset = count > 0 && SynsetLine().IsMatch(lines[0].TrimEnd('\r'));
        for (var i = 0; i < count; i++)
        {
            var line = lines[i].EndsWith('\r') ? lines[i][..^1] : lines[i];
            if (synset)
            {
                var match = SynsetLine().Match(line);
                line = match.Success ? match.Groups["name"].Value.Split(',')[0].Trim() : line.Trim();
            }
            labels[i] = line;
        }
        return labels;
    }

    private static string[] ReadResource(string name)
    {
        var resource = $"ModelZoo.Catalog.Labels.{name}.txt";
        using var stream = typeof(LabelSets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded label set '{resource}' is missing from the assembly");
        using var reader = new StreamReader(stream);
        return [.. Parse(reader.ReadToEnd())];
    }

    [GeneratedRegex(@"^n\d{8}\s+(?<name>.+)$")]
    private static partial Regex SynsetLine();
}
