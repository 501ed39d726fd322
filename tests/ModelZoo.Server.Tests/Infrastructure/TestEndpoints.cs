using ModelZoo.Catalog;
using ModelZoo.Server.Adapters;

namespace ModelZoo.Server.Tests.Infrastructure;

/// <summary>The server's own adapters, for tests that wrap one.</summary>
public static class TestEndpoints
{
    /// <summary>The image-classification adapter of <see cref="TaskEndpointRegistry.CreateDefault"/>.</summary>
    public static ITaskEndpoint Classification =>
        TaskEndpointRegistry.CreateDefault().Find(ModelTask.ImageClassification) ?? throw new InvalidOperationException("no classification adapter");
}
