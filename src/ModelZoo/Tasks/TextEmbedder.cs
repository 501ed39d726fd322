using System.Numerics.Tensors;

namespace ModelZoo.Tasks;

/// <summary>
/// Turns texts into sentence vectors with a <see cref="ModelTask.TextEmbedding"/> model (BERT family): WordPiece
/// tokens from the card's vocabulary, <c>[CLS] … [SEP]</c> cut to the card's longest sequence, batches padded to
/// their longest text, the last hidden state averaged over real tokens (attention mask), then scaled to unit length.
/// Thread-safe (no per-call state); dispose to release the native session.
/// </summary>
public sealed class TextEmbedder : IDisposable
{
    private const string IdsInput = "input_ids";
    private const string MaskInput = "attention_mask";
    private const string TypesInput = "token_type_ids";

    private readonly ModelSession _session;
    private readonly WordPieceInput _tokens;
    private readonly TextEmbedderOptions _options;
    private readonly TextSpec _text;
    private readonly string _outputName;
    private readonly bool _clsPooling;
    private readonly IReadOnlyDictionary<string, string> _inputTypes;
    private volatile bool _disposed;

    private TextEmbedder(LocalModel model, ModelSession session, WordPieceInput tokens, TextEmbedderOptions options)
    {
        Card = model.Card;
        _session = session;
        _tokens = tokens;
        _options = options;
        _text = model.Card.Text!;
        _inputTypes = session.Inputs.ToDictionary(i => i.Name, i => i.ElementType, StringComparer.Ordinal);
        foreach (var input in session.Inputs)
        {
            if (input.Name is not (IdsInput or MaskInput or TypesInput) || input.ElementType is not ("int64" or "int32"))
            {
                throw ZooErrors.TextModelInputs.Raise(
                    $"'{Card.Handle}' has an input {input} that a BERT-style text model does not have (expected int64 {IdsInput}, {MaskInput}, {TypesInput}); check the card's task and model file.");
            }
        }
        if (!_inputTypes.ContainsKey(IdsInput))
        {
            throw ZooErrors.TextModelInputs.Raise(
                $"'{Card.Handle}' has no '{IdsInput}' input, so it cannot take tokens; check the card's task and model file.");
        }
        _outputName = model.Card.Output?.Name ?? session.Outputs[0].Name;
        var output = session.Outputs.FirstOrDefault(o => o.Name == _outputName) ?? throw ZooErrors.TextModelOutputs.Raise(
            $"'{Card.Handle}' has no output '{_outputName}' (it has {string.Join(", ", session.Outputs.Select(o => o.Name))}); fix output.name in the card.");
        _clsPooling = model.Card.Output?.Decoder switch
        {
            null or "mean-pooling" => false,
            "cls-pooling" => true,
            var other => throw ZooErrors.TextPoolingUnknown.Raise(
                $"'{Card.Handle}' asks for pooling '{other}', which is not supported; use mean-pooling or cls-pooling in the card's output.decoder."),
        };
        var hidden = output.Shape.Count == 3 && output.Shape[2] > 0 ? (int)output.Shape[2] : 0;
        Dimension = model.Card.Output?.Size ?? hidden;
        if (Dimension <= 0 || (hidden > 0 && hidden != Dimension))
        {
            throw ZooErrors.TextModelOutputs.Raise(
                $"'{Card.Handle}' output '{_outputName}' is {output}, which does not give {Dimension}-d token vectors; fix output.size in the card.");
        }
    }

    /// <summary>The model's card.</summary>
    public ModelCard Card { get; }

    /// <summary>Length of every vector this embedder returns.</summary>
    public int Dimension { get; }

    /// <summary>Longest sequence the model sees, counting [CLS] and [SEP]; longer texts are truncated.</summary>
    public int MaxTokens => _tokens.MaxTokens;

    /// <summary>The underlying session (for inspection).</summary>
    public ModelSession Session => _session;

    /// <summary>Opens an embedder over a pulled model. The embedder owns the session it creates.</summary>
    /// <exception cref="ZooUsageException">The model is not a text-embedding model.</exception>
    public static TextEmbedder Open(LocalModel model, TextEmbedderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Card.Task != ModelTask.TextEmbedding)
        {
            throw new ZooUsageException(
                $"'{model.Card.Handle}' is a {FeatureExtractor.TaskName(model.Card.Task)} model, not a text-embedding model; pick one with `zoo list --task text-embedding`.");
        }
        var text = model.Card.Text ?? throw ZooErrors.CardTextMissing.Raise(
            $"the card of '{model.Card.Handle}' has no text section, so texts cannot be tokenised for it; add 'text' (vocabFile, maxTokens) to the card.");
        options ??= new TextEmbedderOptions();
        if (options.BatchSize < 1)
        {
            throw new ZooUsageException($"the batch size must be at least 1 (got {options.BatchSize}); pass a positive batch size.");
        }
        var tokens = WordPieceInput.Load(model.PathOf(text.VocabFile), text);
        var session = ModelSession.Open(model.ModelPath, options.Session);
        try
        {
            return new TextEmbedder(model, session, tokens, options);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Pulls the model if needed (verified) and opens an embedder over it.</summary>
    public static async Task<TextEmbedder> OpenAsync(ModelCard card, ModelStore store, TextEmbedderOptions? options = null,
        IProgress<PullProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var model = await store.OpenAsync(card, progress, ct).ConfigureAwait(false);
        return Open(model, options);
    }

    /// <summary>Cosine similarity of two vectors (their dot product when both have unit length).</summary>
    /// <exception cref="ArgumentException">The vectors differ in length or are empty.</exception>
    public static float Similarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length || a.Length == 0)
        {
            throw new ArgumentException($"Vectors of lengths {a.Length} and {b.Length} cannot be compared; embed both with the same model.");
        }
        return TensorPrimitives.CosineSimilarity(a, b);
    }

    /// <summary>Word pieces <paramref name="text"/> needs, counting [CLS] and [SEP] (before truncation).</summary>
    public int CountTokens(string text)
    {
        _tokens.Encode(text, out var count);
        return count;
    }

    /// <summary>Vector of one text.</summary>
    public float[] Embed(string text) => EmbedWithDetails([text])[0].Vector;

    /// <summary>Vectors of several texts, in order.</summary>
    public float[][] Embed(IReadOnlyList<string> texts) => EmbedWithDetails(texts).Select(e => e.Vector).ToArray();

    /// <summary>Vectors of several texts, in order, with whether each was truncated and its token count.</summary>
    /// <param name="texts">Texts; an empty string is embedded as just [CLS] [SEP].</param>
    /// <param name="ct">Checked between batches.</param>
    public IReadOnlyList<TextEmbedding> EmbedWithDetails(IReadOnlyList<string> texts, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(texts);
        var ids = new long[texts.Count][];
        var counts = new int[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            var text = texts[i] ?? throw new ArgumentException($"Text {i} is null; pass an empty string instead.", nameof(texts));
            ids[i] = _tokens.Encode(text, out counts[i]);
        }
        // Batch texts of similar length together so that little time goes into padding; results return in input order.
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => ids[i].Length).ToArray();
        var vectors = new float[texts.Count][];
        foreach (var chunk in order.Chunk(_options.BatchSize))
        {
            ct.ThrowIfCancellationRequested();
            var pooled = RunBatch(chunk.Select(i => ids[i]).ToArray());
            for (var j = 0; j < chunk.Length; j++)
            {
                vectors[chunk[j]] = pooled[j];
            }
        }
        var results = new TextEmbedding[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            results[i] = new TextEmbedding(texts[i], vectors[i], counts[i] > MaxTokens, counts[i]);
        }
        return results;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        _session.Dispose();
    }

    private float[][] RunBatch(long[][] batch)
    {
        var rows = batch.Length;
        var length = batch.Max(b => b.Length);
        var ids = new long[rows * length];
        var mask = new long[rows * length];
        Array.Fill(ids, _tokens.PaddingId);
        for (var r = 0; r < rows; r++)
        {
            batch[r].CopyTo(ids, r * length);
            mask.AsSpan(r * length, batch[r].Length).Fill(1);
        }
        long[] shape = [rows, length];
        var inputs = new List<NamedTensor>(3) { Input(IdsInput, ids, shape) };
        if (_inputTypes.ContainsKey(MaskInput))
        {
            inputs.Add(Input(MaskInput, mask, shape));
        }
        if (_inputTypes.ContainsKey(TypesInput))
        {
            inputs.Add(Input(TypesInput, new long[rows * length], shape));
        }
        var output = _session.Run(inputs, [_outputName])[0];
        var hidden = output.AsFloats();
        if (output.Shape is not [var n, var t, var d] || n != rows || t != length || d != Dimension)
        {
            throw ZooErrors.TextModelOutputs.Raise(
                $"'{Card.Handle}' returned '{_outputName}' of shape [{string.Join(",", output.Shape)}], not [{rows},{length},{Dimension}]; fix output.name and output.size in the card.");
        }

        var vectors = new float[rows][];
        for (var r = 0; r < rows; r++)
        {
            var vector = new float[Dimension];
            var tokens = hidden.AsSpan(r * length * Dimension, length * Dimension);
            if (_clsPooling)
            {
                tokens[..Dimension].CopyTo(vector);
            }
            else
            {
                // Real tokens are a prefix of the row (padding follows), so the mask-weighted mean is a plain mean over it.
                var count = batch[r].Length;
                for (var k = 0; k < count; k++)
                {
                    TensorPrimitives.Add(vector, tokens.Slice(k * Dimension, Dimension), vector);
                }
                TensorPrimitives.Multiply(vector, 1f / count, vector);
            }
            if (_text.Normalize)
            {
                var norm = TensorPrimitives.Norm(vector);
                TensorPrimitives.Multiply(vector, 1f / MathF.Max(norm, 1e-12f), vector);
            }
            vectors[r] = vector;
        }
        return vectors;
    }

    private NamedTensor Input(string name, long[] data, long[] shape) =>
        _inputTypes[name] == "int32"
            ? new NamedTensor(name, Array.ConvertAll(data, v => (int)v), shape)
            : new NamedTensor(name, data, shape);
}
