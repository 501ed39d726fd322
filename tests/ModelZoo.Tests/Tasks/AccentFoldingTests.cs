using ModelZoo.Tasks;

namespace ModelZoo.Tests.Tasks;

public sealed class AccentFoldingTests
{
    [Theory]
    [InlineData("Café crème brûlée à la carte", "Cafe creme brulee a la carte")]
    [InlineData("ÅNGSTRÖM Ñandú Ærø", "ANGSTROM Nandu Ærø")] // Æ and ø have no decomposition: BERT keeps them
    [InlineData("e\u0301te\u0301", "ete")] // decomposed input: the combining marks go
    [InlineData("Ελληνικά ώρα", "Ελληνικα ωρα")]
    [InlineData("йогурт ёлка", "иогурт елка")]
    [InlineData("がぎぐ パピプ", "かきく ハヒフ")] // (han)dakuten are non-spacing marks after decomposition
    [InlineData("Việt Nam", "Viet Nam")]
    [InlineData("Đà Nẵng", "Đa Nang")] // Đ has no decomposition
    [InlineData("東京 🍕", "東京 🍕")]
    [InlineData("한국", "\u1112\u1161\u11AB\u1100\u116E\u11A8")] // Hangul syllables decompose into jamo, as under NFD
    [InlineData("\uF900 \u2126", "\u8C48 \u03A9")] // singleton decompositions: CJK compatibility ideograph, ohm sign
    public void Strips_what_canonical_decomposition_marks_as_accents(string text, string expected)
    {
        Assert.Equal(expected, AccentFolding.Strip(text));
    }

    [Fact]
    public void Ascii_text_is_returned_as_is()
    {
        var text = "plain ASCII, nothing to do.";
        Assert.Same(text, AccentFolding.Strip(text));
    }
}
