using System.Text.Json.Nodes;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Server.Tests.Infrastructure;

/// <summary>Checks a server's answers against the schemas its own OpenAPI document publishes.</summary>
public static class PublishedSchemas
{
    /// <summary>The document's schema component <paramref name="name"/>, its references written out.</summary>
    public static async Task<JsonObject> ComponentAsync(RunningServer server, string name)
    {
        var document = JsonNode.Parse(await server.Client.GetStringAsync("/openapi/v1.json"))!;
        var component = document["components"]?["schemas"]?[name];
        Assert.True(component is not null, $"the OpenAPI document has no schema '{name}'");
        return JsonSchemaCheck.Inline(document, component);
    }

    /// <summary>Asserts that <paramref name="json"/>, a predict answer of <paramref name="handle"/>, conforms to the
    /// published answer schema of the model's task.</summary>
    public static async Task AssertPredictAnswerAsync(RunningServer server, string handle, string json)
    {
        var task = JsonNode.Parse(await server.Client.GetStringAsync("/v1/models/" + handle))!["task"]!.GetValue<string>();
        var name = string.Concat(task.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..])) + "Response";
        var errors = JsonSchemaCheck.Errors(await ComponentAsync(server, name), json);
        Assert.True(errors.Count == 0, $"{handle}'s answer breaks the published {name}:\n{string.Join('\n', errors)}\n{Shorten(json)}");
    }

    private static string Shorten(string json) => json.Length <= 2000 ? json : json[..2000] + "…";
}
