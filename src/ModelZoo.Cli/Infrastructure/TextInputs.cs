using System.Text;

namespace ModelZoo.Cli.Infrastructure;

/// <summary>Resolves the model and texts of a text command, and reports truncated texts.</summary>
public static class TextInputs
{
    /// <summary>The model card and the remaining arguments (texts) of <paramref name="settings"/>.</summary>
    /// <exception cref="ZooUsageException">Both <c>--model</c> and a leading handle are given, or the model is not a text-embedding model.</exception>
    public static (ModelCard Card, IReadOnlyList<string> Arguments) ResolveModel(ZooContext context, TextTaskSettings settings)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var arguments = settings.Arguments;
        string handle;
        if (arguments.Length > 0 && IsTextEmbeddingHandle(context.Catalog, arguments[0]))
        {
            if (settings.Model is not null)
            {
                throw new ZooUsageException($"the model is named twice ('{arguments[0]}' and --model {settings.Model}); keep one of them.");
            }
            handle = arguments[0];
            arguments = arguments[1..];
        }
        else
        {
            handle = settings.Model ?? TextTaskSettings.DefaultHandle;
        }
        var card = LocalModelCards.IsModelFile(handle)
            ? LocalModelCards.RunsAs(context, handle, "give a text-embedding handle from `zoo list --task text-embedding` instead")
            : context.Catalog.Get(handle);
        if (card.Task != ModelTask.TextEmbedding)
        {
            throw new ZooUsageException(
                $"'{handle}' is a {Formatting.TaskName(card.Task)} model, not a text-embedding model; pick one with `zoo list --task text-embedding`.");
        }
        return (card, arguments);
    }

    /// <summary>Reads a UTF-8 text file as one text per line, skipping blank lines and a leading byte-order mark.</summary>
    /// <exception cref="ZooException">The file is not valid UTF-8 (the message names the byte offset).</exception>
    public static IReadOnlyList<string> ReadLines(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = File.ReadAllBytes(path);
        var start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException ex)
        {
            var offset = start + Math.Max(ex.Index, 0);
            var bad = ex.BytesUnknown is { Length: > 0 } unknown ? $" (0x{unknown[0]:X2})" : "";
            throw ZooErrors.TextFileEncoding.Raise(
                $"'{path}' is not UTF-8: the byte at offset {offset}{bad} is not valid UTF-8; save the file as UTF-8 and try again.", ex);
        }
        return text.Split('\n').Select(line => line.TrimEnd('\r')).Where(line => !string.IsNullOrWhiteSpace(line)).ToList();
    }

    /// <summary>Prints a warning on the status console for every text that was cut to the model's longest sequence.</summary>
    public static void WarnTruncated(ZooContext context, IEnumerable<Tasks.TextEmbedding> embeddings, int maxTokens)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(embeddings);
        var index = 0;
        foreach (var embedding in embeddings)
        {
            index++;
            if (embedding.Truncated)
            {
                context.Status.MarkupLine(
                    $"[yellow]warning:[/] text {index} ({Markup.Escape(Shorten(embedding.Text, 40))}) has {embedding.TokenCount} word pieces; only the first {maxTokens} were embedded.");
            }
        }
    }

    /// <summary>The text on one line, cut to <paramref name="width"/> characters with an ellipsis.</summary>
    public static string Shorten(string text, int width)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries));
        if (line.Length <= width)
        {
            return line;
        }
        var cut = width - 1;
        if (cut > 0 && char.IsHighSurrogate(line[cut - 1]))
        {
            cut--; // never split a surrogate pair (emoji, rare CJK)
        }
        return line[..cut] + "…";
    }

    private static bool IsTextEmbeddingHandle(ModelCatalog catalog, string argument) =>
        ModelCardValidator.IsValidHandle(argument) && catalog.TryGet(argument, out var card) && card.Task == ModelTask.TextEmbedding;
}
