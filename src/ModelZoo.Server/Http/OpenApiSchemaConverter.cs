using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace ModelZoo.Server.Http;

/// <summary>
/// Turns the JSON Schemas the task adapters declare (<see cref="Tasks.ResultSchema"/>'s keywords) into the OpenAPI
/// document's schema objects. A keyword it does not know is refused rather than dropped, so the published document
/// never says less than the adapter declared.
/// </summary>
internal static class OpenApiSchemaConverter
{
    public static OpenApiSchema Convert(JsonObject schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var result = new OpenApiSchema();
        foreach (var (keyword, value) in schema)
        {
            switch (keyword)
            {
                case "type" when value is JsonArray types:
                    result.Type = types.Select(t => TypeOf(t!.GetValue<string>())).Aggregate((a, b) => a | b);
                    break;
                case "type":
                    result.Type = TypeOf(value!.GetValue<string>());
                    break;
                case "description":
                    result.Description = value!.GetValue<string>();
                    break;
                case "properties":
                    result.Properties = value!.AsObject().ToDictionary(p => p.Key, p => (IOpenApiSchema)Convert(p.Value!.AsObject()), StringComparer.Ordinal);
                    break;
                case "required":
                    result.Required = value!.AsArray().Select(n => n!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
                    break;
                case "additionalProperties" when value is JsonObject additional:
                    result.AdditionalProperties = Convert(additional);
                    break;
                case "additionalProperties":
                    result.AdditionalPropertiesAllowed = value!.GetValue<bool>();
                    break;
                case "items":
                    result.Items = Convert(value!.AsObject());
                    break;
                case "minimum":
                    result.Minimum = Number(value!);
                    break;
                case "maximum":
                    result.Maximum = Number(value!);
                    break;
                case "minItems":
                    result.MinItems = value!.GetValue<int>();
                    break;
                case "maxItems":
                    result.MaxItems = value!.GetValue<int>();
                    break;
                case "contentEncoding":
                    result.ContentEncoding = value!.GetValue<string>();
                    break;
                case "contentMediaType":
                    result.ContentMediaType = value!.GetValue<string>();
                    break;
                default:
                    throw new InvalidOperationException(
                        $"the OpenAPI document cannot carry the JSON Schema keyword '{keyword}'; build result schemas with ModelZoo.Tasks.ResultSchema.");
            }
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

    // The literal as written: OpenAPI keeps bounds as text so as not to round them.
    private static string Number(JsonNode value) => value.ToJsonString();
}
