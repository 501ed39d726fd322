using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ModelZoo.Server.InferenceProtocol;

/// <summary>Registers the Open Inference Protocol's services and maps its REST routes and gRPC service.</summary>
internal static class InferenceProtocolEndpoints
{
    public static void AddServices(IServiceCollection services, ZooServerOptions options)
    {
        services.AddSingleton(sp => new InferenceProtocolService(sp.GetRequiredService<ModelPool>(), sp.GetRequiredService<ModelCatalog>(),
            sp.GetRequiredService<ModelStore>(), sp.GetRequiredService<ModelWarmup>(), options,
            sp.GetRequiredService<ILogger<InferenceProtocolService>>()));
        services.AddSingleton(_ => new V2ApiKeyInterceptor(options));
        services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<V2ApiKeyInterceptor>();
            // Raw tensors are as large as the server's body limit allows for REST.
            grpc.MaxReceiveMessageSize = (int)Math.Min(options.MaxRequestBytes, int.MaxValue);
            grpc.MaxSendMessageSize = null;
        });
    }

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        V2RestApi.Map(endpoints);
        endpoints.MapGrpcService<V2GrpcService>().WithMetadata(new ZooRouteAttribute("v2-grpc"));
    }
}
