using System.Numerics.Tensors;
using System.Text;
using System.Text.Json;
using ModelZoo.Cli.Infrastructure;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Cli.Tests.Commands;

public sealed class TextCommandsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "zoo-text-" + Guid.NewGuid().ToString("N")[..12]);

    public TextCommandsTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string WriteFile(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Embed_text_json_prints_one_unit_384_vector_per_text_with_the_default_model()
    {
        var result = CliRunner.Run(SharedStore.Settings, "embed-text", "A man is eating food.", "Café 東京", "--json");
        Assert.True(result.ExitCode == 0, result.AllText);
        using var doc = JsonDocument.Parse(result.Output);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(["A man is eating food.", "Café 東京"], rows.Select(r => r.GetProperty("text").GetString()));
        foreach (var row in rows)
        {
            var vector = row.GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            Assert.Equal(384, vector.Length);
            Assert.Equal(1f, TensorPrimitives.Norm(vector), 3);
        }
        Assert.Contains("東京", result.Output); // written as text, not \u escapes
    }

    [Fact]
    public void Embed_text_accepts_the_handle_as_first_argument_and_gives_the_same_vector()
    {
        var plain = CliRunner.Run(SharedStore.Settings, "embed-text", "Hello world.", "--json");
        var named = CliRunner.Run(SharedStore.Settings, "embed-text", MiniLmModel.Handle, "Hello world.", "--json");
        Assert.True(named.ExitCode == 0, named.AllText);
        using var a = JsonDocument.Parse(plain.Output);
        using var b = JsonDocument.Parse(named.Output);
        Assert.Equal(1, b.RootElement.GetArrayLength());
        Assert.Equal(a.RootElement[0].GetProperty("vector").ToString(), b.RootElement[0].GetProperty("vector").ToString());
        Assert.Equal("Hello world.", b.RootElement[0].GetProperty("text").GetString());
    }

    [Fact]
    public void Embed_text_table_shows_dims_and_norm()
    {
        var result = CliRunner.Run(SharedStore.Settings, "embed-text", "A woman is playing violin.");
        Assert.True(result.ExitCode == 0, result.AllText);
        Assert.Contains("A woman is playing violin.", result.Console);
        Assert.Contains("384", result.Console);
        Assert.Contains("1.0000", result.Console);
    }

    [Fact]
    public void Embed_text_reads_one_text_per_line_from_a_utf8_file()
    {
        var file = WriteFile("texts.txt", Encoding.UTF8.GetBytes("\uFEFFfirst line\r\n\r\nsecond line, naïve\n   \nthird 東京\n"));
        var result = CliRunner.Run(SharedStore.Settings, "embed-text", "--file", file, "--json");
        Assert.True(result.ExitCode == 0, result.AllText);
        using var doc = JsonDocument.Parse(result.Output);
        Assert.Equal(["first line", "second line, naïve", "third 東京"],
            doc.RootElement.EnumerateArray().Select(r => r.GetProperty("text").GetString()));
    }

    [Fact]
    public void A_file_that_is_not_utf8_fails_with_exit_1_naming_the_byte_offset()
    {
        // "caf" then Latin-1 é (0xE9) followed by a space: invalid UTF-8 at byte 3 of the second line (offset 9).
        var file = WriteFile("latin1.txt", [.. "hello\ncaf"u8, 0xE9, .. " au lait\n"u8]);
        var result = CliRunner.Run(SharedStore.Settings, "embed-text", "--file", file);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not UTF-8", result.AllText);
        Assert.Contains("offset 9 (0xE9)", result.AllText);
        Assert.Contains("save the file as UTF-8", result.AllText);

        var similar = CliRunner.Run(SharedStore.Settings, "similar", "coffee", "--file", file);
        Assert.Equal(1, similar.ExitCode);
        Assert.Contains("offset 9", similar.AllText);
    }

    [Fact]
    public void Text_file_reader_reports_the_offset_of_a_bad_byte_after_multibyte_text()
    {
        // "é" is two bytes; the BOM is three; the stray continuation byte 0x80 sits at offset 3 + 2 + 1 = 6.
        var file = WriteFile("bad.txt", [0xEF, 0xBB, 0xBF, .. "é\n"u8, 0x80, .. "x"u8]);
        var error = Assert.Throws<ZooException>(() => TextInputs.ReadLines(file));
        Assert.Equal("text-file-encoding", error.Code);
        Assert.Contains("offset 6 (0x80)", error.Message);
    }

    [Fact]
    public void Long_text_is_embedded_with_a_truncation_warning()
    {
        var text = string.Join(' ', Enumerable.Repeat("apple orchard", 200));
        var result = CliRunner.Run(SharedStore.Settings, "embed-text", text, "short", "--json");
        Assert.True(result.ExitCode == 0, result.AllText);
        Assert.Contains("warning: text 1", result.Status);
        Assert.Contains("only the first 256 were embedded", result.Status);
        Assert.DoesNotContain("text 2", result.Status);
        using var doc = JsonDocument.Parse(result.Output); // warnings never reach the JSON
        Assert.Equal(2, doc.RootElement.GetArrayLength());
    }

    [Fact]
    public void Similar_ranks_the_paraphrase_first()
    {
        var result = CliRunner.Run(SharedStore.Settings, "similar", "A man is eating food.",
            "A monkey is playing drums.", "A man is eating a piece of bread.", "The girl is carrying a baby.", "--json");
        Assert.True(result.ExitCode == 0, result.AllText);
        using var doc = JsonDocument.Parse(result.Output);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal("A man is eating a piece of bread.", rows[0].GetProperty("text").GetString());
        var scores = rows.Select(r => r.GetProperty("score").GetSingle()).ToList();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
        Assert.InRange(scores[0], 0.5f, 1f);
    }

    [Fact]
    public void Similar_reads_candidates_from_a_file_and_keeps_the_top_k()
    {
        var file = WriteFile("pets.txt", Encoding.UTF8.GetBytes("The stock market fell.\nA kitten is a young cat.\nRain tomorrow.\nDogs bark at night.\n"));
        var result = CliRunner.Run(SharedStore.Settings, "similar", "Cats purr when happy.", "--file", file, "--top", "2");
        Assert.True(result.ExitCode == 0, result.AllText);
        var lines = result.Console.Split('\n');
        var kitten = Array.FindIndex(lines, l => l.Contains("A kitten is a young cat.", StringComparison.Ordinal));
        Assert.True(kitten >= 0, result.Console);
        Assert.Contains(" 1 ", lines[kitten]);
        Assert.DoesNotContain("The stock market fell.", result.Console); // ranked 3rd or 4th, cut by --top 2
    }

    [Theory]
    [InlineData(new[] { "embed-text" }, "no text to embed")]
    [InlineData(new[] { "similar" }, "no query")]
    [InlineData(new[] { "similar", "only a query" }, "no texts to rank")]
    [InlineData(new[] { "embed-text", "text/all-minilm-l6-v2/embedding", "x", "--model", "text/all-minilm-l6-v2/embedding" }, "named twice")]
    [InlineData(new[] { "embed-text", "x", "--model", "imagenet/resnet18/feature_vector" }, "not a text-embedding model")]
    [InlineData(new[] { "similar", "q", "--top", "0" }, "--top must be at least 1")]
    public void Usage_errors_exit_2_with_a_hint(string[] args, string expected)
    {
        using var home = new TempHome();
        var result = CliRunner.Run(home.Settings(offline: true), args);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.AllText);
    }

    [Fact]
    public void Texts_and_a_file_together_are_a_usage_error()
    {
        var file = WriteFile("one.txt", "a line\n"u8.ToArray());
        using var home = new TempHome();
        var result = CliRunner.Run(home.Settings(offline: true), "embed-text", "inline", "--file", file);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not both", result.AllText);
    }
}
