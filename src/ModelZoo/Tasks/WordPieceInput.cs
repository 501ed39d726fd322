using Microsoft.ML.Tokenizers;

namespace ModelZoo.Tasks;

/// <summary>
/// Turns text into the token ids of a BERT-style model as its card's <see cref="TextSpec"/> says: BERT basic
/// tokenisation and WordPiece (Microsoft.ML.Tokenizers) over the card's vocabulary, then <c>[CLS] … [SEP]</c>, cut to
/// the model's longest sequence. Immutable and safe to share between threads.
/// </summary>
internal sealed class WordPieceInput
{
    private readonly BertTokenizer _tokenizer;
    private readonly bool _stripAccents;

    private WordPieceInput(BertTokenizer tokenizer, int maxTokens, bool stripAccents)
    {
        _tokenizer = tokenizer;
        MaxTokens = maxTokens;
        _stripAccents = stripAccents;
    }

    /// <summary>Longest sequence produced, counting [CLS] and [SEP].</summary>
    public int MaxTokens { get; }

    /// <summary>Id of the padding token.</summary>
    public int PaddingId => _tokenizer.PaddingTokenId;

    /// <summary>Loads the vocabulary file (one token per line; LF or CRLF endings).</summary>
    public static WordPieceInput Load(string vocabPath, TextSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        // Read the lines ourselves so that CRLF files (as shipped in some packages) give the same tokens as LF files.
        var lines = File.ReadAllLines(vocabPath);
        using var vocab = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        var stripAccents = spec.StripAccents ?? spec.Lowercase;
        BertTokenizer tokenizer;
        try
        {
            tokenizer = BertTokenizer.Create(vocab, new BertOptions
            {
                LowerCaseBeforeTokenization = spec.Lowercase,
                // The tokenizer's own accent removal relies on string.Normalize, which does nothing in invariant
                // globalization mode; AccentFolding does that work instead, the same in every host.
                RemoveNonSpacingMarks = false,
                ApplyBasicTokenization = true,
                IndividuallyTokenizeCjk = true,
            });
        }
        catch (ArgumentException ex)
        {
            throw ZooErrors.VocabInvalid.Raise(
                $"The vocabulary '{vocabPath}' cannot be used as a WordPiece vocabulary ({ex.Message.Split('\n', 2)[0].TrimEnd('.')}); " +
                "run `zoo verify` and pull the model again.", ex);
        }
        return new WordPieceInput(tokenizer, spec.MaxTokens, stripAccents);
    }

    /// <summary>Token ids of <paramref name="text"/> with [CLS] and [SEP], at most <see cref="MaxTokens"/> of them.</summary>
    /// <param name="text">The text.</param>
    /// <param name="fullCount">Tokens the whole text needs, counting [CLS] and [SEP].</param>
    public long[] Encode(string text, out int fullCount)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pieces = _tokenizer.EncodeToIds(_stripAccents ? AccentFolding.Strip(text) : text, addSpecialTokens: false, considerPreTokenization: true, considerNormalization: true);
        fullCount = pieces.Count + 2;
        var kept = Math.Min(pieces.Count, MaxTokens - 2);
        var ids = new long[kept + 2];
        ids[0] = _tokenizer.ClassificationTokenId;
        for (var i = 0; i < kept; i++)
        {
            ids[i + 1] = pieces[i];
        }
        ids[kept + 1] = _tokenizer.SeparatorTokenId;
        return ids;
    }
}
