using ModelZoo.Imaging;
using ModelZoo.Tasks.Ocr;

namespace ModelZoo.Tests.Tasks.Ocr;

public sealed class WordSpacingTests
{
    /// <summary>A 48-pixel-high light crop with a dark glyph block for each (start, width) and the characters a
    /// recogniser would place at the blocks' centres (one crop column per time step).</summary>
    private static (RgbImage Crop, List<CtcDecoder.Character> Characters) Line(string text, params (int Start, int Width)[] glyphs)
    {
        const int height = 48;
        var width = glyphs.Max(g => g.Start + g.Width) + 10;
        var pixels = new byte[3 * width * height];
        Array.Fill(pixels, (byte)230);
        foreach (var (start, w) in glyphs)
        {
            for (var y = 10; y < 38; y++)
            {
                for (var x = start; x < start + w; x++)
                {
                    pixels[3 * (y * width + x)] = pixels[3 * (y * width + x) + 1] = pixels[3 * (y * width + x) + 2] = 20;
                }
            }
        }
        var characters = new List<CtcDecoder.Character>();
        var g = 0;
        foreach (var c in text)
        {
            if (c == ' ')
            {
                // A space the recogniser marked sits in the gap after the previous glyph.
                characters.Add(new CtcDecoder.Character(" ", 0.9f, glyphs[g - 1].Start + glyphs[g - 1].Width + 1));
                continue;
            }
            characters.Add(new CtcDecoder.Character(c.ToString(), 0.9f, glyphs[g].Start + glyphs[g].Width / 2));
            g++;
        }
        return (RgbImage.FromPixels(width, height, pixels), characters);
    }

    private static string Restore(string text, params (int Start, int Width)[] glyphs)
    {
        var (crop, characters) = Line(text, glyphs);
        using (crop)
        {
            return string.Concat(WordSpacing.Restore(characters, crop, 1.0).Select(c => c.Text));
        }
    }

    private static (int, int)[] Glyphs(int start, int width, params int[] gaps)
    {
        var result = new List<(int, int)> { (start, width) };
        foreach (var gap in gaps)
        {
            var (s, w) = result[^1];
            result.Add((s + w + gap, width));
        }
        return result.ToArray();
    }

    [Fact]
    public void Wide_ink_gaps_between_characters_become_spaces_and_narrow_ones_do_not()
    {
        // Letter gaps of 2-4 px (under a tenth of the 48 px line), word gaps of 18-20 px.
        var glyphs = Glyphs(5, 20, 3, 2, 4, 18, 3, 2, 20, 3);
        Assert.Equal("abcd efg hi", Restore("abcdefghi", glyphs));
    }

    [Fact]
    public void A_single_word_gets_no_space_whatever_its_letter_gaps()
    {
        Assert.Equal("word", Restore("word", Glyphs(5, 20, 2, 6, 3)));
    }

    [Fact]
    public void Spaces_the_recogniser_marked_set_the_scale_for_unmarked_gaps()
    {
        // Monospaced-looking sign: 12 px beside narrow letters (a quarter of the line height) is a letter gap next to a
        // 36 px word gap the recogniser marked; a second unmarked 34 px gap is a space.
        var glyphs = Glyphs(5, 14, 12, 3, 36, 3, 34, 3);
        Assert.Equal("abc de fg", Restore("abc defg", glyphs));
    }
}
