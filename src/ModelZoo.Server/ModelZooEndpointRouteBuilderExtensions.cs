using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using ModelZoo.Server.Cloud;
using ModelZoo.Server.Web;

namespace ModelZoo.Server;

/// <summary>Maps the ModelZoo server's routes.</summary>
public static class ModelZooEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the native API (<c>/v1/models…</c>, <c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c>), the Open Inference Protocol
    /// (REST under <c>/v2</c>, gRPC <c>inference.GRPCInferenceService</c>), the Rekognition-compatible
    /// <c>POST /</c>, the Vision-compatible <c>POST /v1/images:annotate</c>, the web page at <c>GET /</c> and the OpenAPI
    /// document at <c>/openapi/v1.json</c>. Needs <see cref="ModelZooServiceCollectionExtensions.AddModelZoo(Microsoft.Extensions.DependencyInjection.IServiceCollection, ZooServerOptions)"/>.
    /// </summary>
    public static IEndpointRouteBuilder MapModelZoo(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        NativeApi.Map(endpoints);
        RekognitionApi.Map(endpoints);
        VisionApi.Map(endpoints);
        WebPage.Map(endpoints);
        InferenceProtocol.InferenceProtocolEndpoints.Map(endpoints);
        endpoints.MapOpenApi().WithMetadata(new ZooRouteAttribute("openapi"));
        return endpoints;
    }
}
