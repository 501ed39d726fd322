using System.Text.Json;

namespace ModelZoo.Catalog;

/// <summary>
/// What a model file says of itself in its <c>metadata_props</c> under <see cref="ModelMetadataKeys"/>: its input spec
/// and its class names, where the zoo wrote them. An entry that is there but unreadable is left out and named in
/// <see cref="Unreadable"/>, so that the caller can fall back to what it would assume for any file, and say so.
/// </summary>
/// <param name="Input">The input spec, or null when the file does not carry one.</param>
/// <param name="Labels">The class names in output order, or null.</param>
/// <param name="Unreadable">One note per entry that was present but could not be read.</param>
public sealed record EmbeddedModelDescription(InputSpec? Input, IReadOnlyList<string>? Labels, IReadOnlyList<string> Unreadable)
{
    /// <summary>Reads the entries from a model's metadata (an ONNX graph's <c>metadata_props</c>).</summary>
    public static EmbeddedModelDescription Read(IDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var unreadable = new List<string>();
        var input = Entry<InputSpec>(metadata, ModelMetadataKeys.Input, unreadable);
        var labels = Entry<string[]>(metadata, ModelMetadataKeys.Labels, unreadable);
        if (labels is not null && (labels.Length == 0 || labels.Any(string.IsNullOrWhiteSpace)))
        {
            unreadable.Add($"{ModelMetadataKeys.Labels} holds an empty class name or none at all");
            labels = null;
        }
        return new EmbeddedModelDescription(input, labels, unreadable);
    }

    private static T? Entry<T>(IDictionary<string, string> metadata, string key, List<string> unreadable) where T : class
    {
        if (!metadata.TryGetValue(key, out var json))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<T>(json, ModelCardJson.Options)
                ?? throw new JsonException("the entry is JSON null");
        }
        catch (JsonException ex)
        {
            unreadable.Add($"{key} is not readable ({ex.Message.Split(" Path: ")[0].TrimEnd('.')})");
            return null;
        }
    }
}
