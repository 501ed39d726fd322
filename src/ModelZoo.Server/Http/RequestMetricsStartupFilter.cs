using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace ModelZoo.Server.Http;

/// <summary>Puts the request counter and latency histogram in front of the whole pipeline, for the routes ModelZoo maps.</summary>
internal sealed class RequestMetricsStartupFilter(ServerMetrics metrics) : IStartupFilter
{
    /// <summary>Status recorded for a request whose client went away before the answer.</summary>
    public const int ClientClosedRequest = 499;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            var started = Stopwatch.GetTimestamp();
            var status = 0;
            try
            {
                await nextMiddleware(context).ConfigureAwait(false);
                status = context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted ? ClientClosedRequest : context.Response.StatusCode;
            }
            catch
            {
                status = 500;
                throw;
            }
            finally
            {
                if (context.GetEndpoint()?.Metadata.GetMetadata<ZooRouteAttribute>() is { } route)
                {
                    metrics.ObserveRequest(route.Name, status == 0 ? 500 : status, Stopwatch.GetElapsedTime(started));
                }
            }
        });
        next(app);
    };
}
