using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ModelZoo.Server;

/// <summary>Registers the ModelZoo server's services in an ASP.NET Core application.</summary>
public static class ModelZooServiceCollectionExtensions
{
    /// <summary>
    /// Adds the model pool, batching, metrics, model warm-up and OpenAPI document. Map the routes with
    /// <see cref="ModelZooEndpointRouteBuilderExtensions.MapModelZoo"/>.
    /// </summary>
    /// <exception cref="ZooUsageException">The options are inconsistent.</exception>
    /// <exception cref="ExecutionProviderException">The device <see cref="ZooServerOptions.Session"/> asks for cannot be used here.</exception>
    public static IServiceCollection AddModelZoo(this IServiceCollection services, ZooServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } problem)
        {
            throw new ZooUsageException($"invalid server options: {problem}.");
        }
        // A device that cannot be used fails the host at start, not each model at its first load.
        ModelSession.RequireProvider(options.Session);
        services.AddSingleton(options);
        services.AddSingleton(_ => options.Catalog ?? ModelCatalog.Load(options.Settings!));
        services.AddSingleton(_ => new StoreHolder(options.Store ?? new ModelStore(options.Settings!), owned: options.Store is null));
        services.AddSingleton(sp => sp.GetRequiredService<StoreHolder>().Store);
        services.AddSingleton(_ => options.Tasks ?? TaskEndpointRegistry.CreateDefault(options.FaceAttributes));
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton(sp => new ModelPool(options, sp.GetRequiredService<ModelStore>(), sp.GetRequiredService<ModelCatalog>(),
            sp.GetRequiredService<TaskEndpointRegistry>(),
            sp.GetRequiredService<ServerMetrics>(), sp.GetRequiredService<ILogger<ModelPool>>(),
            sp.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? default));
        services.AddSingleton(sp => new ModelWarmup(sp.GetRequiredService<ModelPool>(), sp.GetRequiredService<ModelCatalog>(), options,
            sp.GetRequiredService<ILogger<ModelWarmup>>()));
        services.AddHostedService(sp => sp.GetRequiredService<ModelWarmup>());
        services.AddSingleton(sp => new PredictionService(sp.GetRequiredService<ModelPool>(), sp.GetRequiredService<ModelCatalog>(),
            sp.GetRequiredService<TaskEndpointRegistry>(), options, sp.GetRequiredService<DecodeBudget>(),
            sp.GetRequiredService<ILogger<PredictionService>>()));
        services.AddSingleton(_ => new DecodeBudget(options.DecodeBudgetBytes));
        services.AddSingleton<IStartupFilter, RequestMetricsStartupFilter>();
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer<NativeApiDocument>());
        InferenceProtocol.InferenceProtocolEndpoints.AddServices(services, options);
        return services;
    }

    /// <summary>Adds the ModelZoo server's services, configuring a fresh <see cref="ZooServerOptions"/>.</summary>
    public static IServiceCollection AddModelZoo(this IServiceCollection services, Action<ZooServerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new ZooServerOptions();
        configure(options);
        return services.AddModelZoo(options);
    }

    /// <summary>Disposes the store only when the server created it.</summary>
    private sealed class StoreHolder(ModelStore store, bool owned) : IDisposable
    {
        public ModelStore Store => store;

        public void Dispose()
        {
            if (owned)
            {
                store.Dispose();
            }
        }
    }
}
