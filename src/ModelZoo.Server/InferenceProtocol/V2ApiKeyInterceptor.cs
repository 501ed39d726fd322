using Grpc.Core;
using Grpc.Core.Interceptors;

namespace ModelZoo.Server.InferenceProtocol;

/// <summary>Requires the server's API key (<c>authorization: Bearer KEY</c> or <c>x-api-key</c> metadata) on every gRPC
/// call but the liveness and readiness checks, as the REST front does.</summary>
internal sealed class V2ApiKeyInterceptor(ZooServerOptions options) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var open = context.Method.EndsWith("/ServerLive", StringComparison.Ordinal) || context.Method.EndsWith("/ServerReady", StringComparison.Ordinal);
        if (!open && !ApiKeyCheck.IsAuthorized(context.GetHttpContext().Request, options.ApiKey))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated,
                "this server needs an API key; send it as 'authorization: Bearer KEY' or 'x-api-key: KEY' metadata."));
        }
        return continuation(request, context);
    }
}
