using System.Diagnostics;
using System.Net;
using ModelZoo.Catalog;
using ModelZoo.Runtime;
using ModelZoo.Server.Adapters;
using ModelZoo.Server.Tests.Infrastructure;
using ModelZoo.Store;
using ModelZoo.Tasks;

namespace ModelZoo.Server.Tests.Hosting;

[Collection(MobileNetCollection.Name)]
public sealed class ShutdownTests(MobileNetHome home)
{
    [Fact]
    public async Task Stopping_while_a_client_triggered_load_hangs_answers_503_and_exits_promptly()
    {
        var stuck = new StuckEndpoint(TestEndpoints.Classification);
        try
        {
            var server = await RunningServer.StartAsync(home.Settings, o =>
            {
                o.LabelsModel = MobileNetHome.Handle;
                o.Tasks = new TaskEndpointRegistry().Add(stuck);
                o.RequestTimeout = TimeSpan.FromMinutes(2);
            });
            var dog = await File.ReadAllBytesAsync(MobileNetHome.DogPhoto);
            var request = server.Client.PostAsync("/v1/models/" + MobileNetHome.Handle + ":predict", new ByteArrayContent(dog));
            Assert.True(await stuck.Entered.WaitAsync(TimeSpan.FromMinutes(1)), "the load never started");

            var clock = Stopwatch.StartNew();
            var stopping = server.App.StopAsync();
            var response = await request.WaitAsync(TimeSpan.FromSeconds(30));
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("shutting-down", body);
            await stopping.WaitAsync(TimeSpan.FromSeconds(30));
            await server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            // The request timeout is two minutes and the load never ends: neither may hold the process.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"stopping took {clock.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            stuck.Release();
        }
    }

    [Fact]
    public async Task A_request_whose_model_is_still_loading_at_its_timeout_gets_503_model_loading_not_504()
    {
        var stuck = new StuckEndpoint(TestEndpoints.Classification);
        try
        {
            await using var server = await RunningServer.StartAsync(home.Settings, o =>
            {
                o.LabelsModel = MobileNetHome.Handle;
                o.Tasks = new TaskEndpointRegistry().Add(stuck);
                o.RequestTimeout = TimeSpan.FromSeconds(2);
            });
            var response = await server.Client.PostAsync("/v1/models/" + MobileNetHome.Handle + ":predict",
                new ByteArrayContent(await File.ReadAllBytesAsync(MobileNetHome.DogPhoto))).WaitAsync(TimeSpan.FromSeconds(30));
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("model-loading", body);
            Assert.Contains(MobileNetHome.Handle, body);
            Assert.NotNull(response.Headers.RetryAfter);
        }
        finally
        {
            stuck.Release();
        }
    }

    /// <summary>An adapter whose model load hangs (and ignores cancellation) until released.</summary>
    private sealed class StuckEndpoint(ITaskEndpoint inner) : ITaskEndpoint
    {
        private readonly ManualResetEventSlim _release = new(false);

        public SemaphoreSlim Entered { get; } = new(0);

        public ModelTask Task => inner.Task;

        public TaskInput Input => inner.Input;

        public System.Text.Json.Nodes.JsonObject JsonSchema() => inner.JsonSchema();

        public void Release() => _release.Set();

        public ITaskRunner Open(LocalModel model, SessionSettings session)
        {
            Entered.Release();
            _release.Wait(TimeSpan.FromMinutes(2));
            return inner.Open(model, session);
        }
    }
}
