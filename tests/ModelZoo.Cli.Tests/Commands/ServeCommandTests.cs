using System.Net;
using System.Net.Sockets;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Cli.Tests.Commands;

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
        // No --models: the defaults (all fetchable from NuGet/npm) are preloaded; this empty offline store has none of
        // them, so readiness reports the failure, naming the model, while the server keeps answering.
        string ready;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "zoo serve did not finish preloading within a minute");
            await Task.Delay(100);
            ready = await client.GetStringAsync("healthz") + await (await client.GetAsync("readyz")).Content.ReadAsStringAsync();
        }
        while (ready.Contains("loading", StringComparison.Ordinal));
        Assert.Contains("failed", ready);
        Assert.Contains(ModelZoo.Server.ZooServerOptions.DefaultModels[0], ready);

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

    [Fact]
    public void Serve_refuses_to_listen_beyond_loopback_without_an_api_key_unless_told_no_auth()
    {
        using var home = new TempHome();
        var refused = CliRunner.Run(home.Settings(offline: true), "serve", "--host", "0.0.0.0", "--port", "0");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--api-key", refused.AllText);
        Assert.Contains("--no-auth", refused.AllText);
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
