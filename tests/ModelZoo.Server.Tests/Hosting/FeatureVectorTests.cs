using System.Net;
using System.Text.Json;
using ModelZoo.Server.Tests.Infrastructure;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Server.Tests.Hosting;

public sealed class FeatureVectorTests
{
    [Fact]
    public async Task ResNet18_feature_vector_is_served_as_a_512_float_vector()
    {
        // The ResNet-18 featurizer comes from its real NuGet package (pulled once into the checkout's shared store).
        await using var server = await RunningServer.StartAsync(SharedStore.Settings, o => o.AllowPull = true);
        var response = await server.Client.PostAsync("/v1/models/imagenet/resnet18/feature_vector:predict",
            new ByteArrayContent(await File.ReadAllBytesAsync(MobileNetHome.DogPhoto)));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var document = JsonDocument.Parse(body);
        var vector = document.RootElement.GetProperty("vector").EnumerateArray().Select(v => v.GetSingle()).ToList();
        Assert.Equal(512, vector.Count);
        Assert.All(vector, v => Assert.True(float.IsFinite(v)));
        Assert.Contains(vector, v => v != 0);
    }
}
