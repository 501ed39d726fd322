using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace ModelZoo.Catalog;

/// <summary>
/// The JSON form of a <see cref="ModelCard"/>: camelCase names, enums by the names <see cref="CatalogNamesAttribute"/>
/// gives them, indented, nulls left out. Unknown
/// properties are an error so that a misspelt field cannot be silently ignored.
/// </summary>
public static class ModelCardJson
{
    /// <summary>The serializer options for model cards (read-only).</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Reads a card, throwing <see cref="InvalidModelCardException"/> naming <paramref name="origin"/> and the
    /// offending field when the JSON is malformed or a required field is missing. Does not run <see cref="ModelCardValidator"/>.</summary>
    public static ModelCard Deserialize(string json, string origin)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(origin);
        ModelCard? card;
        try
        {
            card = JsonSerializer.Deserialize<ModelCard>(json, Options);
        }
        catch (JsonException ex)
        {
            throw new InvalidModelCardException(origin, Describe(ex), ex);
        }
        return card ?? throw new InvalidModelCardException(origin, "the document is JSON null, not a card object");
    }

    /// <summary>Writes a card as indented JSON.</summary>
    public static string Serialize(ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        return JsonSerializer.Serialize(card, Options);
    }

    private static string Describe(JsonException ex)
    {
        // The serializer appends "Path: $.x | LineNumber: … | BytePositionInLine: …" to some messages; keep one line
        // and name the field through the path it reports.
        var message = ex.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut];
        }
        var advice = message.IndexOf(" Consider updating its nullability annotation", StringComparison.Ordinal);
        if (advice >= 0)
        {
            message = message[..advice];
        }
        message = message.ReplaceLineEndings(" ").Trim().TrimEnd('.');
        var line = ex.LineNumber is { } number ? $"line {number + 1}" : null;
        var location = ex.Path is { Length: > 0 } path && path != "$"
            ? $" (at {path}{(line is null ? "" : ", " + line)})"
            : line is null ? "" : $" ({line})";
        return message + location;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            AllowTrailingCommas = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { DropComputedProperties } },
        };
        options.MakeReadOnly();
        return options;
    }

    // Computed properties such as ModelCard.ModelFile and ModelCard.TotalSize have no setter: they are derived,
    // so they are neither written nor accepted.
    private static void DropComputedProperties(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }
        for (var i = typeInfo.Properties.Count - 1; i >= 0; i--)
        {
            if (typeInfo.Properties[i].Set is null)
            {
                typeInfo.Properties.RemoveAt(i);
            }
        }
    }
}
