namespace ModelZoo.Catalog;

/// <summary>
/// What a model file says of itself in its <c>metadata_props</c> under <see cref="ModelMetadataKeys"/>: its task, input
/// spec, output spec and class names, where the zoo wrote them. An entry that is there but unreadable is left out and
/// named in <see cref="Unreadable"/>, so that the caller can fall back to what it would assume for any file, and say so.
/// </summary>
/// <param name="Task">The task the file was written for, or null.</param>
/// <param name="Input">The input spec, or null when the file does not carry one.</param>
/// <param name="Output">The output spec (decoder included), or null.</param>
/// <param name="Labels">The class names in output order, or null.</param>
/// <param name="Unreadable">One note per entry that was present but could not be read.</param>
/// <param name="LabelOffset">How many output classes come before the first of <paramref name="Labels"/>.</param>
/// <param name="License">The licence of the weights, or null when the file does not say it.</param>
public sealed record EmbeddedModelDescription(
    ModelTask? Task, InputSpec? Input, OutputSpec? Output, IReadOnlyList<string>? Labels, IReadOnlyList<string> Unreadable,
    int LabelOffset = 0, LicenseInfo? License = null)
{
    /// <summary>Reads the entries from a model's metadata (an ONNX graph's <c>metadata_props</c>).</summary>
    public static EmbeddedModelDescription Read(IDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var unreadable = new List<string>();
        ModelTask? task = null;
        if (metadata.TryGetValue(ModelMetadataKeys.Task, out var taskName))
        {
            try
            {
                task = JsonSerializer.Deserialize<ModelTask>(JsonSerializer.Serialize(taskName), ModelCardJson.Options);
            }
            catch (JsonException)
            {
                unreadable.Add($"{ModelMetadataKeys.Task} names no task this version knows ('{taskName}')");
            }
        }
        var input = Entry<InputSpec>(metadata, ModelMetadataKeys.Input, unreadable);
        var output = Entry<OutputSpec>(metadata, ModelMetadataKeys.Output, unreadable);
        var labels = Entry<string[]>(metadata, ModelMetadataKeys.Labels, unreadable);
        if (labels is not null && (labels.Length == 0 || labels.Any(string.IsNullOrWhiteSpace)))
        {
            unreadable.Add($"{ModelMetadataKeys.Labels} holds an empty class name or none at all");
            labels = null;
        }
        var offset = 0;
        if (metadata.TryGetValue(ModelMetadataKeys.LabelOffset, out var offsetText)
            && !(int.TryParse(offsetText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out offset) && offset >= 0))
        {
            unreadable.Add($"{ModelMetadataKeys.LabelOffset} is not a whole number ('{offsetText}')");
            (labels, offset) = (null, 0);
        }
        var license = Entry<LicenseInfo>(metadata, ModelMetadataKeys.License, unreadable);
        return new EmbeddedModelDescription(task, input, output, labels, unreadable, labels is null ? 0 : offset, license);
    }

    /// <summary>
    /// Writes the entries for a model whose card says <paramref name="task"/>, <paramref name="input"/>,
    /// <paramref name="output"/> and (where it names classes) <paramref name="labels"/> into <paramref name="metadata"/>,
    /// so that the file alone runs as the card would; <paramref name="labelOffset"/> output classes come before the first
    /// name (the card's <c>labels.offset</c>), and <paramref name="license"/> is the licence of the weights.
    /// </summary>
    public static void Write(IDictionary<string, string> metadata, ModelTask task, InputSpec input, OutputSpec? output,
        IReadOnlyList<string>? labels, int labelOffset = 0, LicenseInfo? license = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(labelOffset);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(input);
        metadata[ModelMetadataKeys.Task] = JsonSerializer.Serialize(task, ModelCardJson.Options).Trim('"');
        metadata[ModelMetadataKeys.Input] = JsonSerializer.Serialize(input, CompactCardJson);
        // What is not given is taken out: a cut or converted model must not keep its source's decoder or class names.
        metadata.Remove(ModelMetadataKeys.Output);
        metadata.Remove(ModelMetadataKeys.Labels);
        metadata.Remove(ModelMetadataKeys.LabelOffset);
        metadata.Remove(ModelMetadataKeys.License);
        if (license is not null)
        {
            metadata[ModelMetadataKeys.License] = JsonSerializer.Serialize(license, CompactCardJson);
        }
        if (output is not null)
        {
            metadata[ModelMetadataKeys.Output] = JsonSerializer.Serialize(output, CompactCardJson);
        }
        if (labels is { Count: > 0 })
        {
            metadata[ModelMetadataKeys.Labels] = JsonSerializer.Serialize(labels);
            if (labelOffset > 0)
            {
                metadata[ModelMetadataKeys.LabelOffset] = labelOffset.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }

    private static readonly JsonSerializerOptions CompactCardJson = new(ModelCardJson.Options) { WriteIndented = false };

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
