using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ModelZoo.Server;

/// <summary>A ready-made Kestrel host for <c>zoo serve</c> and tests: <see cref="Build"/>, start, read <see cref="Addresses"/>.</summary>
public static class ZooServer
{
    /// <summary>
    /// Builds a web application listening on <paramref name="host"/>:<paramref name="port"/> (0 picks a free port) with the
    /// ModelZoo services and routes. Kestrel's shutdown waits for in-flight requests up to <paramref name="shutdownTimeout"/>.
    /// </summary>
    /// <exception cref="ZooUsageException">The options are inconsistent, the host is not an IP address or
    /// <c>localhost</c>, the host is not a loopback address and neither an API key nor
    /// <see cref="ZooServerOptions.NoAuth"/> is set, or a preloaded or configured handle is not in the catalog (or not of the task it is configured for).</exception>
    public static WebApplication Build(ZooServerOptions options, string host = "127.0.0.1", int port = 8080,
        Action<ILoggingBuilder>? logging = null, TimeSpan? shutdownTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (port is < 0 or > 65535)
        {
            throw new ZooUsageException($"the port must be from 0 to 65535, got {port}.");
        }
        IPAddress address;
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(host, out address!))
        {
            throw new ZooUsageException($"the host must be an IP address such as 127.0.0.1 or 0.0.0.0, got '{host}'.");
        }
        if (!IPAddress.IsLoopback(address) && !options.NoAuth && string.IsNullOrEmpty(options.ApiKey))
        {
            throw new ZooUsageException(
                $"host {host} accepts connections from other machines, and without ZooServerOptions.ApiKey anyone who can reach it may use the server; " +
                "set ZooServerOptions.ApiKey (and ZooServerOptions.AwsAccessKey and ZooServerOptions.AwsSecretKey for Rekognition), or ZooServerOptions.NoAuth to serve without authentication.");
        }
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(ZooServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(address, port);
            if (options.GrpcPort is { } grpcPort)
            {
                // gRPC without TLS needs HTTP/2 with prior knowledge, which a cleartext HTTP/1.1 listener cannot offer.
                kestrel.Listen(address, grpcPort, listen => listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2);
            }
            kestrel.AddServerHeader = false;
            // Bodies are limited per route by the server's own limit; this is the outer bound.
            kestrel.Limits.MaxRequestBodySize = Math.Max(options.MaxRequestBytes * 2, 1024 * 1024);
        });
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = shutdownTimeout ?? options.RequestTimeout + TimeSpan.FromSeconds(5));
        builder.Services.AddModelZoo(options);
        var app = builder.Build();
        var catalog = app.Services.GetRequiredService<ModelZoo.Catalog.ModelCatalog>();
        foreach (var handle in options.Models.Append(options.LabelsModel).Append(options.ObjectsModel).Append(options.FacesModel).OfType<string>())
        {
            catalog.Get(handle);
        }
        foreach (var handle in options.FaceAttributes)
        {
            if (catalog.Get(handle).Task != ModelZoo.Catalog.ModelTask.FaceAttributes)
            {
                throw new ZooUsageException($"'{handle}' is not a face-attributes model; list only face-attribute models in ZooServerOptions.FaceAttributes.");
            }
        }
        if (options.TextModel is { } text)
        {
            ModelZoo.Tasks.Ocr.TextSpotterModels.Resolve(catalog, text);
        }
        app.MapModelZoo();
        return app;
    }

    /// <summary>The addresses a started application listens on (with the real port when 0 was asked for).</summary>
    public static IReadOnlyList<Uri> Addresses(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var feature = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        return feature?.Addresses.Select(a => new Uri(a.Replace("[::]", "localhost", StringComparison.Ordinal))).ToList() ?? [];
    }
}
