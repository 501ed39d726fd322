using System.Net;
using ModelZoo.Server.Adapters;
using ModelZoo.Server.Tests.Infrastructure;
using ModelZoo.Tasks;

namespace ModelZoo.Server.Tests.Hosting;

/// <summary>Micro-batching, the bounded queue, timeouts and cancellation, made deterministic by holding a batch in inference.</summary>
[Collection(MobileNetCollection.Name)]
public sealed class BatchingTests(MobileNetHome home)
{
    private const string PredictPath = "/v1/models/" + MobileNetHome.Handle + ":predict";

    [Fact]
    public async Task Requests_that_arrive_while_a_batch_runs_share_the_next_inference_call()
    {
        var gate = new GatedEndpoint<IReadOnlyList<Prediction>>(TestEndpoints.Classification);
        await using var server = await RunningServer.StartAsync(home.Settings, o =>
        {
            o.Tasks = new TaskEndpointRegistry().Add(gate);
            o.AllowPull = true;
            o.MaxBatch = 8;
            o.MaxWait = TimeSpan.FromMilliseconds(20);
        });
        var dog = await File.ReadAllBytesAsync(MobileNetHome.DogPhoto);

        var first = server.Client.PostAsync(PredictPath, new ByteArrayContent(dog));
        await gate.WaitEnteredAsync();
        var rest = Enumerable.Range(0, 6).Select(_ => server.Client.PostAsync(PredictPath, new ByteArrayContent(dog))).ToList();
        await WaitUntilAsync(() => server.QueueDepth(MobileNetHome.Handle) == 6, "six requests should be waiting while the first batch is held");
        gate.Open();

        var responses = await Task.WhenAll(rest.Prepend(first));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var labels = await Task.WhenAll(responses.Select(async r => NativeTop(await r.Content.ReadAsStringAsync())));
        Assert.Single(labels.Distinct());
        Assert.Equal([1, 6], gate.BatchSizes);

        var metrics = server.Metrics;
        Assert.Contains($"zoo_batch_size_count{{model=\"{MobileNetHome.Handle}\"}} 2", metrics);
        Assert.Contains($"zoo_batch_size_bucket{{model=\"{MobileNetHome.Handle}\",le=\"1\"}} 1", metrics);
        Assert.Contains($"zoo_batch_size_bucket{{model=\"{MobileNetHome.Handle}\",le=\"8\"}} 2", metrics);
        Assert.Contains("zoo_http_requests_total{route=\"predict\",status=\"200\"} 7", metrics);
    }

    [Fact]
    public async Task A_full_queue_answers_429_with_Retry_After_and_the_queued_requests_still_succeed()
    {
        var gate = new GatedEndpoint<IReadOnlyList<Prediction>>(TestEndpoints.Classification);
        await using var server = await RunningServer.StartAsync(home.Settings, o =>
        {
            o.Tasks = new TaskEndpointRegistry().Add(gate);
            o.AllowPull = true;
            o.MaxBatch = 1;
            o.QueueCapacity = 2;
        });
        var dog = await File.ReadAllBytesAsync(MobileNetHome.DogPhoto);

        var running = server.Client.PostAsync(PredictPath, new ByteArrayContent(dog));
        await gate.WaitEnteredAsync();
        var queued = new[] { server.Client.PostAsync(PredictPath, new ByteArrayContent(dog)), server.Client.PostAsync(PredictPath, new ByteArrayContent(dog)) };
        await WaitUntilAsync(() => server.QueueDepth(MobileNetHome.Handle) == 2, "two requests should fill the queue");

        var rejected = await server.Client.PostAsync(PredictPath, new ByteArrayContent(dog));
        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        Assert.Equal("1", rejected.Headers.GetValues("Retry-After").Single());
        Assert.Equal("queue-full", Http.NativeApiTests.ErrorCode(await rejected.Content.ReadAsStringAsync()));

        gate.Open();
        var done = await Task.WhenAll(queued.Prepend(running));
        Assert.All(done, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal([1, 1, 1], gate.BatchSizes);
    }

    [Fact]
    public async Task A_request_past_its_timeout_gets_504_and_is_dropped_from_its_batch_as_is_a_cancelled_one()
    {
        var gate = new GatedEndpoint<IReadOnlyList<Prediction>>(TestEndpoints.Classification);
        await using var server = await RunningServer.StartAsync(home.Settings, o =>
        {
            o.Tasks = new TaskEndpointRegistry().Add(gate);
            o.AllowPull = true;
            o.MaxBatch = 8;
            o.RequestTimeout = TimeSpan.FromSeconds(3);
        });
        var dog = await File.ReadAllBytesAsync(MobileNetHome.DogPhoto);

        var held = server.Client.PostAsync(PredictPath, new ByteArrayContent(dog));
        await gate.WaitEnteredAsync();
        using var cancel = new CancellationTokenSource();
        var abandoned = server.Client.PostAsync(PredictPath, new ByteArrayContent(dog), cancel.Token);
        var timedOut = server.Client.PostAsync(PredictPath, new ByteArrayContent(dog));
        await WaitUntilAsync(() => server.QueueDepth(MobileNetHome.Handle) == 2, "two requests should be waiting");
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);

        var late = await timedOut;
        Assert.Equal(HttpStatusCode.GatewayTimeout, late.StatusCode);
        Assert.Equal("timeout", Http.NativeApiTests.ErrorCode(await late.Content.ReadAsStringAsync()));

        gate.Open();
        // The held request outlived the timeout as well; what matters is that the two dropped requests never reach
        // inference: the next request, queued behind them, runs alone.
        await held;
        var next = await server.Client.PostAsync(PredictPath, new ByteArrayContent(dog));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal([1, 1], gate.BatchSizes);
    }

    private static string NativeTop(string json) => Http.NativeApiTests.Predictions(json)[0].Label;

    internal static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(20);
        }
    }
}
