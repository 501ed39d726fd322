using Microsoft.OpenApi;

namespace ModelZoo.Server.Http;

/// <summary>
/// Turns the JSON Schemas the task adapters declare (<see cref="Tasks.ResultSchema"/>'s keywords) into the OpenAPI
/// document's schema objects. A keyword it does not know is refused rather than dropped, so the published document
/// never says less than the adapter declared.
/// </summary>
internal static class OpenApiSchemaConverter
{
    // One setter per JSON Schema keyword the result schemas use.
    private static readonly Dictionary<string, Action<OpenApiSchema, JsonNode>> Keywords = new(StringComparer.Ordinal)
    {
        ["type"] = (s, v) => s.Type = v is JsonArray types
            ? types.Select(t => TypeOf(t!.GetValue<string>())).Aggregate((a, b) => a | b)
            : TypeOf(v.GetValue<string>()),
        ["description"] = (s, v) => s.Description = v.GetValue<string>(),
        ["properties"] = (s, v) => s.Properties = v.AsObject().ToDictionary(p => p.Key, p => (IOpenApiSchema)Convert(p.Value!.AsObject()), StringComparer.Ordinal),
        ["required"] = (s, v) => s.Required = v.AsArray().Select(n => n!.GetValue<string>()).ToHashSet(StringComparer.Ordinal),
        ["additionalProperties"] = (s, v) =>
        {
            if (v is JsonObject additional)
            {
                s.AdditionalProperties = Convert(additional);
            }
            else
            {
                s.AdditionalPropertiesAllowed = v.GetValue<bool>();
            }
        },
        ["items"] = (s, v) => s.Items = Convert(v.AsObject()),
        // The literal as written: OpenAPI keeps bounds as text so as not to round them.
        ["minimum"] = (s, v) => s.Minimum = v.ToJsonString(),
        ["maximum"] = (s, v) => s.Maximum = v.ToJsonString(),
        ["minItems"] = (s, v) => s.MinItems = v.GetValue<int>(),
        ["maxItems"] = (s, v) => s.MaxItems = v.GetValue<int>(),
        ["contentEncoding"] = (s, v) => s.ContentEncoding = v.GetValue<string>(),
        ["contentMediaType"] = (s, v) => s.ContentMediaType = v.GetValue<string>(),
    };

    public static OpenApiSchema Convert(JsonObject schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var result = new OpenApiSchema();
        foreach (var (keyword, value) in schema)
        {
            if (!Keywords.TryGetValue(keyword, out var set) || value is null)
            {
                throw new InvalidOperationException(
                    $"the OpenAPI document cannot carry the JSON Schema keyword '{keyword}'; build result schemas with ModelZoo.Tasks.ResultSchema.");
            }
            set(result, value);
        }
        return result;
    }

    private static JsonSchemaType TypeOf(string type) => type switch
    {
        "object" => JsonSchemaType.Object,
        "array" => JsonSchemaType.Array,
        "number" => JsonSchemaType.Number,
        "integer" => JsonSchemaType.Integer,
        "string" => JsonSchemaType.String,
        "boolean" => JsonSchemaType.Boolean,
        "null" => JsonSchemaType.Null,
        _ => throw new InvalidOperationException($"JSON Schema type '{type}' is not one the result schemas use."),
    };
}
