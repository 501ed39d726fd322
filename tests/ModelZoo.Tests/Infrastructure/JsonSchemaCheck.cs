using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ModelZoo.Tests.Infrastructure;

/// <summary>Checks JSON against the schemas results declare, with a JSON Schema evaluator of its own (not the code
/// that builds them), and lists what a schema declares so a test can see each declared property written.</summary>
public static class JsonSchemaCheck
{
    /// <summary>Where and why <paramref name="json"/> breaks <paramref name="schema"/>; empty when it conforms.</summary>
    public static IReadOnlyList<string> Errors(JsonObject schema, string json)
    {
        var evaluator = JsonSchema.FromText(schema.ToJsonString());
        using var document = JsonDocument.Parse(json);
        var results = evaluator.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid ? [] : (results.Details ?? []).Prepend(results)
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .ToList();
    }

    /// <summary>Every property path <paramref name="schema"/> declares, as "/faces/*/box/x" (arrays as "*").</summary>
    public static ISet<string> DeclaredPaths(JsonObject schema)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        Declared(schema, "", paths);
        return paths;
    }

    /// <summary>Every property path <paramref name="json"/> holds, in the form of <see cref="DeclaredPaths"/>.</summary>
    public static ISet<string> WrittenPaths(string json)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        Written(JsonNode.Parse(json), "", paths);
        return paths;
    }

    /// <summary>A schema of an OpenAPI <paramref name="document"/> with its <c>#/components/schemas/…</c> references
    /// written out in place, so it can be evaluated on its own.</summary>
    public static JsonObject Inline(JsonNode document, JsonNode schema)
    {
        var copy = schema.DeepClone();
        return InlineNode(document, copy)!.AsObject();
    }

    private static JsonNode? InlineNode(JsonNode document, JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj when obj["$ref"] is JsonValue reference:
                var name = reference.GetValue<string>();
                const string prefix = "#/components/schemas/";
                Assert.StartsWith(prefix, name);
                var target = document["components"]?["schemas"]?[name[prefix.Length..]];
                Assert.True(target is not null, $"the document has no schema {name}");
                return InlineNode(document, target.DeepClone());
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    obj[key] = InlineNode(document, obj[key]?.DeepClone());
                }
                return obj;
            case JsonArray array:
                return new JsonArray(array.Select(item => InlineNode(document, item?.DeepClone())).ToArray());
            default:
                return node;
        }
    }

    private static void Declared(JsonObject schema, string path, HashSet<string> paths)
    {
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, property) in properties)
            {
                paths.Add($"{path}/{name}");
                Declared(property!.AsObject(), $"{path}/{name}", paths);
            }
        }
        if (schema["items"] is JsonObject items)
        {
            Declared(items, $"{path}/*", paths);
        }
    }

    private static void Written(JsonNode? node, string path, HashSet<string> paths)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    paths.Add($"{path}/{name}");
                    Written(value, $"{path}/{name}", paths);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Written(item, $"{path}/*", paths);
                }
                break;
        }
    }
}
