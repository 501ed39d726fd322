using System.Collections.Frozen;
using System.Text;

namespace ModelZoo.Tasks;

/// <summary>
/// BERT's accent stripping (canonical decomposition, then dropping non-spacing marks) without relying on
/// <see cref="string.Normalize()"/>, which does not decompose when the host runs in invariant globalization mode (as
/// this project's executables do): precomposed characters map to their base from a table generated from Unicode data
/// (scripts/accent-table), Hangul syllables decompose into their jamo by the Unicode formula, and combining marks are
/// dropped. The result is the same in every host; it differs from a full NFD only for about forty Indic, Tibetan and
/// Balinese vowel signs (whose decompositions hold spacing marks) and for characters outside the BMP, which are kept.
/// </summary>
internal static partial class AccentFolding
{
    private static readonly FrozenDictionary<char, char> Bases = BuildTable();

    /// <summary><paramref name="text"/> with accents removed; the same instance when it has none.</summary>
    public static string Strip(string text)
    {
        if (Ascii.IsValid(text))
        {
            return text;
        }
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            if (c is >= HangulFirst and <= HangulLast)
            {
                AppendJamo(builder, c);
            }
            else
            {
                builder.Append(Bases.TryGetValue(c, out var basic) ? basic : c);
            }
        }
        return builder.ToString();
    }

    private const char HangulFirst = '\uAC00';
    private const char HangulLast = '\uD7A3';

    // Unicode's arithmetic decomposition of a Hangul syllable into leading consonant, vowel and optional trailing consonant.
    private static void AppendJamo(StringBuilder builder, char syllable)
    {
        const int vowels = 21, trailing = 28;
        var index = syllable - HangulFirst;
        builder.Append((char)(0x1100 + index / (vowels * trailing)));
        builder.Append((char)(0x1161 + index % (vowels * trailing) / trailing));
        if (index % trailing != 0)
        {
            builder.Append((char)(0x11A7 + index % trailing));
        }
    }

    private static FrozenDictionary<char, char> BuildTable()
    {
        var table = new Dictionary<char, char>(Pairs.Length / 2);
        for (var i = 0; i < Pairs.Length; i += 2)
        {
            table[Pairs[i]] = Pairs[i + 1];
        }
        return table.ToFrozenDictionary();
    }
}
