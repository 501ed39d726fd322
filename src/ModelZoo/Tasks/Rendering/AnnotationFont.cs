using SkiaSharp;

namespace ModelZoo.Tasks;

/// <summary>
/// The typeface for labels: the first common sans-serif family the system has, else whatever Skia's font
/// manager matches for Latin text. Null when the machine has no usable font; labels are then skipped and
/// boxes are still drawn.
/// </summary>
internal static class AnnotationFont
{
    private static readonly string[] Families = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Segoe UI", "Helvetica", "FreeSans"];

    private static readonly Lazy<SKTypeface?> Face = new(Find);

    public static SKTypeface? Typeface => Face.Value;

    private static SKTypeface? Find()
    {
        try
        {
            foreach (var family in Families)
            {
                var face = SKFontManager.Default.MatchFamily(family, SKFontStyle.Bold);
                if (HasLatin(face))
                {
                    return face;
                }
                face?.Dispose();
            }
            var fallback = SKFontManager.Default.MatchCharacter('A') ?? SKTypeface.Default;
            return HasLatin(fallback) ? fallback : null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or InvalidOperationException)
        {
            return null;
        }
    }

    private static bool HasLatin(SKTypeface? face) => face is not null && face.GlyphCount > 0 && face.GetGlyph('A') != 0;
}
