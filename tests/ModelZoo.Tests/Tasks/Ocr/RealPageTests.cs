using ModelZoo.Imaging;
using Xunit.Abstractions;

namespace ModelZoo.Tests.Tasks.Ocr;

/// <summary>
/// The default pipeline on the real-page set that <c>scripts/fetch-test-assets.sh</c> builds in
/// <c>ocr-pages/</c> (see <c>scripts/make-ocr-pages.py</c>): every page read at its defaults against its ground truth,
/// with the same bounds for every page.
/// </summary>
public sealed class RealPageTests(OcrFixture fixture, ITestOutputHelper output) : IClassFixture<OcrFixture>
{
    /// <summary>Licence texts typeset at several resolutions and fonts, and the same pages photographed.</summary>
    public static TheoryData<string> TypesetPages =>
    [
        "apache-100.png", "apache-150.png", "apache-300.png", "apache-photo.jpg",
        "gpl3-150.png", "gpl3-200.png", "gpl3-photo.jpg",
        "mpl2-120.png", "mpl2-200.png", "mpl2-photo.jpg",
        "artistic-150.png", "bsd-150.png",
    ];

    [Fact]
    public void Every_line_of_the_photographed_book_page_is_found_in_reading_order_and_read()
    {
        var (read, truth) = Read("skimage-page.png");
        var expected = Lines(truth);
        var lines = read.Lines.Select(l => l.Text).ToList();
        output.WriteLine(string.Join('\n', lines));
        // Each transcribed line matches a distinct detected line, in order (found: at most a third of it misread; the
        // page bound below is the one on reading).
        var next = 0;
        foreach (var line in expected)
        {
            var found = lines.FindIndex(next, text => CharacterErrorRate.Errors(line, text) <= line.Length / 3);
            Assert.True(found >= 0, $"line '{line}' not found in reading order among: {string.Join(" | ", lines)}");
            next = found + 1;
        }
        var cer = Cer(truth, read.Text);
        Assert.True(cer <= 0.05, $"CER {cer:P1}: {string.Join(" | ", lines)}");
    }

    [Theory]
    [MemberData(nameof(TypesetPages))]
    public void A_typeset_or_photographed_page_is_read_with_a_low_character_error_rate_and_its_word_spaces(string page)
    {
        var (read, truth) = Read(page);
        output.WriteLine(read.Text);
        var cer = Cer(truth, read.Text);
        output.WriteLine($"CER {cer:P2}");
        Assert.True(cer <= 0.05, $"CER {cer:P2} on {page}");
        Assert.Equal(Lines(truth).Count, read.Lines.Count);

        // Word spaces: the recogniser drops most of them on text of this size; the pipeline puts them back.
        var expectedWords = Words(truth);
        var readWords = Words(read.Text);
        Assert.InRange(readWords.Count, expectedWords.Count * 0.95, expectedWords.Count * 1.05);
        // Punctuation is the recogniser's business (it misreads quotes and commas); spaces decide the letters' words.
        static string Letters(string word) => new(word.Where(char.IsLetterOrDigit).ToArray());
        var readLetters = readWords.Select(Letters).ToHashSet();
        var distinct = expectedWords.Select(Letters).Where(w => w.Length > 0).Distinct().ToList();
        var matched = distinct.Count(readLetters.Contains);
        Assert.True(matched >= 0.9 * distinct.Count, $"{matched} of {distinct.Count} distinct words read exactly on {page}");
    }

    private (ModelZoo.Tasks.Ocr.OcrResult Read, string Truth) Read(string page)
    {
        var path = TestAssets.Image("ocr-pages/" + page);
        var truth = File.ReadAllText(TestAssets.Image("ocr-pages/" + Path.ChangeExtension(page, ".txt")));
        using var image = ImageDecoder.Decode(path);
        return (fixture.Spotter.Read(image), truth);
    }

    private static List<string> Lines(string text) => text.Split('\n').Where(l => l.Trim().Length > 0).ToList();

    private static List<string> Words(string text) =>
        CharacterErrorRate.Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();

    private static double Cer(string truth, string read) =>
        (double)CharacterErrorRate.Errors(truth, read) / CharacterErrorRate.Length(truth);
}
