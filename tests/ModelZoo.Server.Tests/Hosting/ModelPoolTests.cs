using System.Net;
using System.Text.Json;
using ModelZoo.Catalog;
using ModelZoo.Server.Adapters;
using Microsoft.Extensions.DependencyInjection;
using ModelZoo.Server.Hosting;
using ModelZoo.Server.Tests.InferenceProtocol;
using ModelZoo.Server.Tests.Infrastructure;
using ModelZoo.Tasks;
using ModelZoo.Store;
using ModelZoo.Tests;

namespace ModelZoo.Server.Tests.Hosting;

[Collection(MobileNetCollection.Name)]
public sealed class ModelPoolTests(MobileNetHome home)
{
    [Fact]
    public async Task Loading_a_model_past_the_memory_budget_evicts_the_least_recently_used_idle_one()
    {
        // A second card for the same published file, registered the way trained or imported models are.
        var catalog = ModelCatalog.Load(home.Settings);
        var original = catalog.Get(MobileNetHome.Handle);
        var onnx = TestAssets.SharedTestData("imagenet/mobilenetv2-12-int8.onnx");
        var copy = original with
        {
            Handle = "test/mobilenet_copy/classification",
            Files = [original.Files[0] with { Source = "file:" + onnx }],
        };
        catalog.Register(copy, home.Settings, overwrite: true);
        using var store = new ModelStore(home.Settings);
        await store.PullAsync(copy);
        try
        {
            await using var server = await RunningServer.StartAsync(home.Settings, o =>
            {
                o.Catalog = catalog;
                o.AllowPull = true;
                o.Store = store;
                o.MemoryBudgetBytes = ModelPool.EstimateBytes(original) * 3 / 2;
            });
            var dog = await File.ReadAllBytesAsync(MobileNetHome.DogPhoto);

            Assert.Equal(HttpStatusCode.OK, (await server.Client.PostAsync($"/v1/models/{original.Handle}:predict", new ByteArrayContent(dog))).StatusCode);
            Assert.Equal([original.Handle], Loaded(await server.Client.GetStringAsync("/v1/models")));

            Assert.Equal(HttpStatusCode.OK, (await server.Client.PostAsync($"/v1/models/{copy.Handle}:predict", new ByteArrayContent(dog))).StatusCode);
            Assert.Equal([copy.Handle], Loaded(await server.Client.GetStringAsync("/v1/models")));

            var metrics = server.Metrics;
            Assert.Contains($"zoo_model_evictions_total{{model=\"{original.Handle}\"}} 1", metrics);
            Assert.Contains($"zoo_model_loads_total{{model=\"{copy.Handle}\"}} 1", metrics);

            // Asking for the evicted model again loads it again (and evicts the other).
            Assert.Equal(HttpStatusCode.OK, (await server.Client.PostAsync($"/v1/models/{original.Handle}:predict", new ByteArrayContent(dog))).StatusCode);
            Assert.Contains($"zoo_model_loads_total{{model=\"{original.Handle}\"}} 2", server.Metrics);
        }
        finally
        {
            catalog.Unregister(copy.Handle, home.Settings);
        }
    }

    [Fact]
    public async Task Stopping_the_server_finishes_the_request_in_flight()
    {
        var gate = new GatedEndpoint<IReadOnlyList<Prediction>>(TestEndpoints.Classification);
        var server = await RunningServer.StartAsync(home.Settings, o =>
        {
            o.Tasks = new TaskEndpointRegistry().Add(gate);
            o.AllowPull = true;
        });
        try
        {
            var inFlight = server.Client.PostAsync($"/v1/models/{MobileNetHome.Handle}:predict",
                new ByteArrayContent(await File.ReadAllBytesAsync(MobileNetHome.DogPhoto)));
            await gate.WaitEnteredAsync();

            var stopping = server.App.StopAsync();
            Assert.False(stopping.IsCompleted, "the host must wait for the request in flight");
            gate.Open();

            var response = await inFlight;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.InRange(Http.NativeApiTests.Predictions(await response.Content.ReadAsStringAsync())[0].Index, 151, 268);
            await stopping.WaitAsync(TimeSpan.FromMinutes(1));
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => server.Client.GetAsync("/healthz"));
        }
        finally
        {
            gate.Open();
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_native_and_the_tensor_api_share_one_memory_budget_and_evict_each_other()
    {
        var card = MobileNetTensors.Card;
        var budget = ModelPool.EstimateBytes(card) * 3 / 2;
        await using var server = await RunningServer.StartAsync(home.Settings, o =>
        {
            o.AllowPull = true;
            o.MemoryBudgetBytes = budget;
        });
        var pool = server.App.Services.GetRequiredService<ModelPool>();
        var dog = await File.ReadAllBytesAsync(MobileNetHome.DogPhoto);
        var (input, _, _) = await MobileNetTensors.ReferenceAsync(home.Settings, MobileNetTensors.Dog());
        var infer = JsonSerializer.Serialize(new
        {
            inputs = new[] { new { name = input.Name, shape = new[] { 1, 3, 224, 224 }, datatype = "FP32", data = MobileNetTensors.Dog() } },
        });

        Assert.Equal(HttpStatusCode.OK, (await server.Client.PostAsync($"/v1/models/{card.Handle}:predict", new ByteArrayContent(dog))).StatusCode);
        Assert.Equal([card.Handle], Loaded(await server.Client.GetStringAsync("/v1/models")));
        Assert.Equal(ModelPool.EstimateBytes(card), pool.ChargedBytes);

        // The same model opened for tensor inference does not fit next to its pipeline: the idle pipeline goes.
        var tensor = await server.Client.PostAsync($"/v2/models/{MobileNetTensors.V2Name}/infer",
            new StringContent(infer, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, tensor.StatusCode);
        Assert.Empty(Loaded(await server.Client.GetStringAsync("/v1/models")));
        Assert.InRange(pool.ChargedBytes, 1, budget);
        Assert.Contains($"zoo_model_evictions_total{{model=\"{card.Handle}\"}} 1", server.Metrics);
        Assert.Contains($"zoo_model_loads_total{{model=\"{card.Handle}\"}} 2", server.Metrics);

        // And the other way round: the pipeline's return evicts the idle tensor model.
        Assert.Equal(HttpStatusCode.OK, (await server.Client.PostAsync($"/v1/models/{card.Handle}:predict", new ByteArrayContent(dog))).StatusCode);
        Assert.Equal([card.Handle], Loaded(await server.Client.GetStringAsync("/v1/models")));
        Assert.Equal(ModelPool.EstimateBytes(card), pool.ChargedBytes);
        Assert.Contains($"zoo_model_evictions_total{{model=\"{card.Handle}\"}} 2", server.Metrics);
        Assert.Contains($"zoo_model_loads_total{{model=\"{card.Handle}\"}} 3", server.Metrics);
    }

    private static List<string> Loaded(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("models").EnumerateArray()
            .Where(m => m.GetProperty("loaded").GetBoolean())
            .Select(m => m.GetProperty("handle").GetString()!)
            .ToList();
    }
}
