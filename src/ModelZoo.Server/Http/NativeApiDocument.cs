using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace ModelZoo.Server.Http;

/// <summary>
/// Completes the OpenAPI document's native API: what a predict answers for each served task (one schema per task,
/// from its adapter's <see cref="ITaskEndpoint.JsonSchema"/>, offered as <c>oneOf</c>: the model's <c>task</c> in
/// <c>GET /v1/models/{handle}</c> says which), the request body and query of a predict, the model summaries and the
/// error body. The routes take <c>HttpContext</c>, so ASP.NET Core cannot infer any of this itself.
/// </summary>
internal sealed class NativeApiDocument : IOpenApiDocumentTransformer
{
    private const string Json = "application/json";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(context);
        var tasks = context.ApplicationServices.GetRequiredService<TaskEndpointRegistry>();
        var error = Component(document, "Error", ApiErrors.JsonSchema());
        var summary = Component(document, "ModelSummary", NativeApi.SummarySchema());
        var answers = tasks.Tasks
            .Select(task => (IOpenApiSchema)Component(document, task + "Response", tasks.Find(task)!.JsonSchema()))
            .ToList();
        foreach (var operation in (document.Paths ?? []).Values.SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>()))
        {
            switch (operation.OperationId)
            {
                case NativeApi.ListModelsOperation:
                    Answer(operation, "The models.", new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Properties = new Dictionary<string, IOpenApiSchema> { ["models"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = summary } },
                        Required = new HashSet<string> { "models" },
                    }, error);
                    break;
                case NativeApi.GetModelOperation:
                    Answer(operation, "The model.", summary, error);
                    break;
                case NativeApi.PredictOperation:
                    Answer(operation, "The answer, in the shape of the model's task (its `task` in GET /v1/models/{handle}).",
                        new OpenApiSchema { OneOf = answers }, error);
                    DescribeRequest(operation);
                    break;
            }
        }
        return Task.CompletedTask;
    }

    private static OpenApiSchemaReference Component(OpenApiDocument document, string name, JsonObject schema)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        document.Components.Schemas[name] = OpenApiSchemaConverter.Convert(schema);
        return new OpenApiSchemaReference(name, document, null);
    }

    private static void Answer(OpenApiOperation operation, string description, IOpenApiSchema schema, IOpenApiSchema error)
    {
        operation.Responses ??= new OpenApiResponses();
        operation.Responses["200"] = new OpenApiResponse { Description = description, Content = JsonContent(schema) };
        operation.Responses["default"] = new OpenApiResponse
        {
            Description = "An error: `error.code` is stable (see the error catalogue), `error.message` says what to do next.",
            Content = JsonContent(error),
        };
    }

    private static void DescribeRequest(OpenApiOperation operation)
    {
        var binary = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "Image models: the image file's bytes (JPEG, PNG, WebP, BMP, GIF) or a multipart form with a 'file' field. Text models: the UTF-8 text.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["image/*"] = new() { Schema = binary },
                ["application/octet-stream"] = new() { Schema = binary },
                ["multipart/form-data"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Properties = new Dictionary<string, IOpenApiSchema> { ["file"] = binary },
                        Required = new HashSet<string> { "file" },
                    },
                },
                ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        };
        operation.Parameters ??= [];
        operation.Parameters.Add(Query("top", "How many results to return at most (classes, objects, faces, poses), 1 to " + PredictOptions.MaxTop + ".",
            new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1", Maximum = PredictOptions.MaxTop.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        operation.Parameters.Add(Query("min_score", "The least score a result needs, 0 to 1; the task's default when left out.",
            new OpenApiSchema { Type = JsonSchemaType.Number, Minimum = "0", Maximum = "1" }));
    }

    private static OpenApiParameter Query(string name, string description, OpenApiSchema schema) =>
        new() { Name = name, In = ParameterLocation.Query, Description = description, Required = false, Schema = schema };

    private static Dictionary<string, OpenApiMediaType> JsonContent(IOpenApiSchema schema) => new() { [Json] = new() { Schema = schema } };
}
