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

    [Fact]
    public async Task Serve_takes_model_files_a_catalog_models_copy_as_its_card_offline_and_a_self_describing_file_under_a_card_of_its_own()
    {
        using var home = new TempHome();
        const string Handle = "face/blazeface/front_128";
        var source = HumanVisionModels.Pull(Handle);
        var copy = Path.Combine(home.Path, "my-face-detector.onnx");
        File.Copy(source.ModelPath, copy);
        // The same graph saved again with the card's description inside: no catalog card has these bytes.
        var described = Path.Combine(home.Path, "described-face.onnx");
        var graph = ModelZoo.Onnx.OnnxModel.Load(source.ModelPath);
        ModelZoo.Catalog.EmbeddedModelDescription.Write(graph.Metadata, source.Card.Task, source.Card.Input!, source.Card.Output, null);
        graph.Save(described);
        var image = File.ReadAllBytes(TestAssets.Image("skimage/astronaut.png"));

        var port = FreePort();
        using var stop = new CancellationTokenSource();
        // A fresh offline home: the copy's card can only be served from the copy itself.
        var run = Task.Run(() => CliRunner.Run(home.Settings(offline: true), stop.Token, "serve", "--port",
            port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-m", $"{copy},{described}"));
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            if (run.IsCompleted)
            {
                Assert.Fail("zoo serve ended early: " + (await run).AllText);
            }
            Assert.True(DateTime.UtcNow < deadline, "zoo serve did not load the two model files within two minutes");
            try
            {
                if ((await client.GetAsync("readyz")).StatusCode == HttpStatusCode.OK)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }

        var faces = new List<int>();
        foreach (var handle in new[] { Handle, "local/described-face" })
        {
            var response = await client.PostAsync($"v1/models/{handle}:predict", new ByteArrayContent(image));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{handle}: {(int)response.StatusCode} {body}");
            using var doc = System.Text.Json.JsonDocument.Parse(body);
            faces.Add(doc.RootElement.GetProperty("faces").GetArrayLength());
        }
        Assert.All(faces, n => Assert.True(n >= 1, "the astronaut's face was not found"));
        Assert.Equal(faces[0], faces[1]);

        await stop.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(0, result.ExitCode);
        var status = System.Text.RegularExpressions.Regex.Replace(result.AllText, @"\s+", " ");
        Assert.Contains($"serving {copy} as {Handle}", status, StringComparison.Ordinal);
        Assert.Contains($"serving {described} as local/described-face", status, StringComparison.Ordinal);
        // Served for the run only: nothing was registered.
        Assert.False(ModelZoo.Catalog.ModelCatalog.Load(home.Settings(offline: true)).TryGet("local/described-face", out _));
    }

    [Fact]
    public void Serve_refuses_a_model_file_that_says_nothing_of_itself_before_listening()
    {
        using var home = new TempHome();
        var unknown = Path.Combine(home.Path, "unknown-face.onnx");
        var graph = ModelZoo.Onnx.OnnxModel.Load(HumanVisionModels.Pull("face/blazeface/front_128").ModelPath);
        graph.Metadata["saved.by"] = "a test";
        graph.Save(unknown);

        var refused = CliRunner.Run(home.Settings(offline: true), "serve", "--port", "0", "-m", unknown);

        Assert.Equal(2, refused.ExitCode);
        var text = System.Text.RegularExpressions.Regex.Replace(refused.AllText, @"\s+", " ");
        Assert.Contains("neither a catalog model's file nor one that describes itself", text, StringComparison.Ordinal);
        Assert.Contains($"zoo card new {unknown} --task TASK", text, StringComparison.Ordinal);
        Assert.DoesNotContain("listening", text, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
