using SkiaSharp;

namespace ModelZoo.Training.Reports;

/// <summary>
/// Picks the typeface for text drawn directly with SkiaSharp. Tries common sans-serif families
/// installed on Linux, Windows and macOS, then Skia's default. On a machine without any font
/// (e.g. a minimal container without fontconfig fonts) <see cref="Typeface"/> is null and callers
/// skip text rather than fail: colours and borders still carry the information.
/// </summary>
internal static class ReportFont
{
    private static readonly string[] Families =
        ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "Segoe UI", "Verdana", "FreeSans"];

    private static readonly Lazy<SKTypeface?> Regular = new(() => Find(SKFontStyle.Normal));
    private static readonly Lazy<SKTypeface?> BoldFace = new(() => Find(SKFontStyle.Bold));

    /// <summary>A regular-weight typeface with glyphs, or null when none is available.</summary>
    public static SKTypeface? Typeface => Regular.Value;

    /// <summary>A bold typeface with glyphs (falls back to <see cref="Typeface"/>), or null.</summary>
    public static SKTypeface? Bold => BoldFace.Value ?? Regular.Value;

    private static SKTypeface? Find(SKFontStyle style)
    {
        foreach (var family in Families)
        {
            var face = SKFontManager.Default.MatchFamily(family, style);
            if (Usable(face))
            {
                return face;
            }

            face?.Dispose();
        }

        var fallback = SKFontManager.Default.MatchCharacter('A') ?? SKTypeface.Default;
        return Usable(fallback) ? fallback : null;
    }

    private static bool Usable(SKTypeface? face) =>
        face is not null && face.GlyphCount > 0 && face.GetGlyph('A') != 0;
}
