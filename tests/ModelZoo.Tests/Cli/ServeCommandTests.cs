using System.Net;
using System.Net.Sockets;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Tests.Cli;

public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_answers_health_checks_until_cancelled_then_exits_0()
    {
        using var home = new TempHome();
        var port = FreePort();
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => CliRunner.Run(home.Settings(offline: true), stop.Token, "serve", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        HttpResponseMessage? health = null;
        while (health is null)
        {
            if (run.IsCompleted)
            {
                Assert.Fail("zoo serve ended early: " + (await run).AllText);
            }
            Assert.True(DateTime.UtcNow < deadline, "zoo serve did not answer /healthz within a minute");
            try
            {
                health = await client.GetAsync("healthz");
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        // No --models: nothing to warm, so the server is ready at once.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("readyz")).StatusCode);

        await stop.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"listening on http://127.0.0.1:{port}/", result.AllText);
        Assert.Contains("stopped", result.AllText);
    }

    [Fact]
    public void Serve_rejects_bad_options_and_unknown_models_before_listening()
    {
        using var home = new TempHome();
        var badBatch = CliRunner.Run(home.Settings(offline: true), "serve", "--max-batch", "0");
        Assert.Equal(2, badBatch.ExitCode);
        Assert.Contains("--max-batch", badBatch.AllText);

        var halfKeys = CliRunner.Run(home.Settings(offline: true), "serve", "--aws-access-key", "AKIA0000");
        Assert.Equal(2, halfKeys.ExitCode);

        var unknown = CliRunner.Run(home.Settings(offline: true), "serve", "--port", "0", "--models", "imagenet/no_such_model/classification");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("imagenet/no_such_model/classification", unknown.AllText);

        var notAttributes = CliRunner.Run(home.Settings(offline: true), "serve", "--port", "0", "--face-attributes", "face/blazeface/front_128");
        Assert.Equal(2, notAttributes.ExitCode);
        Assert.Contains("--face-attributes", notAttributes.AllText);

        var noPipeline = CliRunner.Run(home.Settings(offline: true), "serve", "--port", "0", "--rekognition-text", "ocr/no_such_pipeline");
        Assert.NotEqual(0, noPipeline.ExitCode);
        Assert.Contains("ocr/no_such_pipeline", noPipeline.AllText);
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
