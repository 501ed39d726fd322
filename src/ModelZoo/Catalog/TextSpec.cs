namespace ModelZoo.Catalog;

/// <summary>
/// How to turn text into the token inputs of a BERT-style model: a WordPiece vocabulary from the card's files, the
/// longest sequence the model was trained with, and the normalisation its tokenizer applied. The sequence fed to the
/// model is <c>[CLS] word pieces… [SEP]</c>; longer texts are cut to <see cref="MaxTokens"/>.
/// </summary>
public sealed record TextSpec
{
    /// <summary>Name of the card file (role <c>vocab</c>) holding the WordPiece vocabulary, one token per line.</summary>
    public required string VocabFile { get; init; }

    /// <summary>Longest sequence fed to the model, counting <c>[CLS]</c> and <c>[SEP]</c> (the model's
    /// <c>max_seq_length</c>); word pieces beyond it are dropped.</summary>
    public required int MaxTokens { get; init; }

    /// <summary>Whether text is lower-cased before tokenisation (true for uncased models).</summary>
    public bool Lowercase { get; init; } = true;

    /// <summary>Whether accents (Unicode non-spacing marks) are removed before tokenisation; null means the same as
    /// <see cref="Lowercase"/>, which is what BERT's own tokenizer does.</summary>
    public bool? StripAccents { get; init; }

    /// <summary>Whether sentence vectors are scaled to unit length (L2) after pooling.</summary>
    public bool Normalize { get; init; } = true;
}
