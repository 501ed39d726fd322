using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using ModelZoo.Server.Tests.Infrastructure;

namespace ModelZoo.Server.Tests.InferenceProtocol;

/// <summary>The Open Inference Protocol's REST API driven with plain HTTP, as curl or any v2 client would.</summary>
[Collection(MobileNetCollection.Name)]
public sealed class V2RestTests(MobileNetHome home)
{
    private const string ModelPath = "/v2/models/" + MobileNetTensors.V2Name;

    [Fact]
    public async Task Health_server_metadata_model_metadata_readiness_and_the_repository_index_answer_as_the_protocol_specifies()
    {
        await using var server = await RunningServer.StartAsync(home.Settings, o => o.Models.Add(MobileNetHome.Handle));
        await server.WaitReadyAsync();

        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/v2/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/v2/health/ready")).StatusCode);

        using var metadata = JsonDocument.Parse(await server.Client.GetStringAsync("/v2"));
        Assert.Equal("modelzoo", metadata.RootElement.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(metadata.RootElement.GetProperty("version").GetString()));
        var extensions = metadata.RootElement.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("binary_tensor_data", extensions);
        Assert.Contains("model_repository", extensions);

        var (input, outputs, _) = await MobileNetTensors.ReferenceAsync(home.Settings, MobileNetTensors.Dog());
        using var model = JsonDocument.Parse(await server.Client.GetStringAsync(ModelPath));
        Assert.Equal(MobileNetTensors.V2Name, model.RootElement.GetProperty("name").GetString());
        Assert.Equal(MobileNetTensors.Card.Version, model.RootElement.GetProperty("versions")[0].GetString());
        Assert.Equal("onnxruntime_onnx", model.RootElement.GetProperty("platform").GetString());
        var served = Assert.Single(model.RootElement.GetProperty("inputs").EnumerateArray());
        Assert.Equal(input.Name, served.GetProperty("name").GetString());
        Assert.Equal("FP32", served.GetProperty("datatype").GetString());
        // The batch dimension is variable (-1); the rest are the model's.
        Assert.Equal([-1, 3, 224, 224], served.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal(outputs.Select(o => o.Name), model.RootElement.GetProperty("outputs").EnumerateArray().Select(o => o.GetProperty("name").GetString()));

        var version = MobileNetTensors.Card.Version;
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync($"{ModelPath}/versions/{version}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync($"{ModelPath}/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync($"{ModelPath}/versions/{version}/ready")).StatusCode);
        var wrongVersion = await server.Client.GetAsync($"{ModelPath}/versions/999/ready");
        Assert.Equal(HttpStatusCode.NotFound, wrongVersion.StatusCode);
        var unknown = await server.Client.GetAsync("/v2/models/imagenet~no_such_model~classification");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using (var error = JsonDocument.Parse(await unknown.Content.ReadAsStringAsync()))
        {
            Assert.Contains("repository/index", error.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        }

        var index = await server.Client.PostAsync("/v2/repository/index", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        using var models = JsonDocument.Parse(await index.Content.ReadAsStringAsync());
        var entries = models.RootElement.EnumerateArray().ToList();
        var mobileNet = Assert.Single(entries, e => e.GetProperty("name").GetString() == MobileNetTensors.V2Name);
        Assert.Equal("READY", mobileNet.GetProperty("state").GetString());
        // Every listed name maps back to a catalog handle, and nothing that is not in this store is called ready.
        Assert.All(entries, e => Assert.DoesNotContain("/", e.GetProperty("name").GetString(), StringComparison.Ordinal));
        Assert.Contains(entries, e => e.GetProperty("state").GetString() == "UNAVAILABLE");
        using var readyOnly = JsonDocument.Parse(await (await server.Client.PostAsync("/v2/repository/index",
            new StringContent("{\"ready\": true}", Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync());
        Assert.All(readyOnly.RootElement.EnumerateArray(), e => Assert.Equal("READY", e.GetProperty("state").GetString()));
        Assert.Contains(readyOnly.RootElement.EnumerateArray(), e => e.GetProperty("name").GetString() == MobileNetTensors.V2Name);
    }

    [Fact]
    public async Task Infer_with_json_tensors_returns_the_models_own_output_for_the_same_tensor()
    {
        await using var server = await RunningServer.StartAsync(home.Settings, o => o.Models.Add(MobileNetHome.Handle));
        var tensor = MobileNetTensors.Dog();
        var (input, outputs, expected) = await MobileNetTensors.ReferenceAsync(home.Settings, tensor);

        var body = JsonSerializer.Serialize(new
        {
            id = "dog-1",
            inputs = new[] { new { name = input.Name, shape = new[] { 1, 3, 224, 224 }, datatype = "FP32", data = tensor } },
        });
        var response = await server.Client.PostAsync(ModelPath + "/infer", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(MobileNetTensors.V2Name, json.RootElement.GetProperty("model_name").GetString());
        Assert.Equal("dog-1", json.RootElement.GetProperty("id").GetString());
        var output = Assert.Single(json.RootElement.GetProperty("outputs").EnumerateArray());
        Assert.Equal(outputs[0].Name, output.GetProperty("name").GetString());
        Assert.Equal("FP32", output.GetProperty("datatype").GetString());
        Assert.Equal(expected[0].Shape, output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        var served = output.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        MobileNetTensors.AssertClose(expected[0].AsFloats(), served);
        // The raw logits still say "dog": ImageNet's dog breeds are indices 151–268.
        Assert.InRange(MobileNetTensors.ArgMax(served), 151, 268);

        // Nested arrays are the same tensor.
        var nested = JsonSerializer.Serialize(new
        {
            inputs = new[] { new { name = input.Name, shape = new[] { 1, 3, 224, 224 }, datatype = "FP32", data = Nest(tensor) } },
        });
        using var nestedJson = JsonDocument.Parse(await (await server.Client.PostAsync(ModelPath + "/infer",
            new StringContent(nested, Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync());
        MobileNetTensors.AssertClose(expected[0].AsFloats(),
            nestedJson.RootElement.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray());
    }

    [Fact]
    public async Task Infer_with_the_binary_tensor_data_extension_returns_the_exact_bytes_of_the_models_output()
    {
        await using var server = await RunningServer.StartAsync(home.Settings, o => o.Models.Add(MobileNetHome.Handle));
        var tensor = MobileNetTensors.Dog(mirrored: true);
        var (input, outputs, expected) = await MobileNetTensors.ReferenceAsync(home.Settings, tensor);
        var binary = MemoryMarshal.AsBytes(tensor.AsSpan()).ToArray();
        var header = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            inputs = new[] { new { name = input.Name, shape = new[] { 1, 3, 224, 224 }, datatype = "FP32", parameters = new { binary_data_size = binary.Length } } },
            outputs = new[] { new { name = outputs[0].Name, parameters = new { binary_data = true } } },
        }));
        using var content = new ByteArrayContent([.. header, .. binary]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", header.Length.ToString(CultureInfo.InvariantCulture));
        var response = await server.Client.PostAsync(ModelPath + "/infer", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), CultureInfo.InvariantCulture);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var json = JsonDocument.Parse(bytes.AsMemory(0, jsonLength));
        var output = Assert.Single(json.RootElement.GetProperty("outputs").EnumerateArray());
        Assert.False(output.TryGetProperty("data", out _), "a binary output carries no JSON data");
        var size = output.GetProperty("parameters").GetProperty("binary_data_size").GetInt32();
        Assert.Equal(bytes.Length - jsonLength, size);
        var served = new float[size / 4];
        for (var i = 0; i < served.Length; i++)
        {
            served[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(jsonLength + 4 * i));
        }
        MobileNetTensors.AssertClose(expected[0].AsFloats(), served);
    }

    [Fact]
    public async Task Concurrent_infers_are_micro_batched_and_each_gets_its_own_rows_back()
    {
        await using var server = await RunningServer.StartAsync(home.Settings, o =>
        {
            o.Models.Add(MobileNetHome.Handle);
            o.MaxBatch = 4;
            o.MaxWait = TimeSpan.FromMilliseconds(300);
        });
        var tensors = new[] { MobileNetTensors.Dog(), MobileNetTensors.Dog(mirrored: true) };
        var references = new List<float[]>();
        string inputName = "";
        foreach (var tensor in tensors)
        {
            var (input, _, expected) = await MobileNetTensors.ReferenceAsync(home.Settings, tensor);
            inputName = input.Name;
            references.Add(expected[0].AsFloats());
        }
        // Load the model first so that the concurrent requests meet in the batcher, not in the load.
        await server.Client.GetStringAsync(ModelPath);
        var requests = Enumerable.Range(0, 4).Select(async i =>
        {
            var body = JsonSerializer.Serialize(new
            {
                inputs = new[] { new { name = inputName, shape = new[] { 1, 3, 224, 224 }, datatype = "FP32", data = tensors[i % 2] } },
            });
            var response = await server.Client.PostAsync(ModelPath + "/infer", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return json.RootElement.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        }).ToList();
        var results = await Task.WhenAll(requests);
        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(MobileNetTensors.ArgMax(references[i % 2]), MobileNetTensors.ArgMax(results[i]));
            var worst = references[i % 2].Zip(results[i], (e, a) => Math.Abs(e - a)).Max();
            Assert.True(worst < 1e-3f, $"request {i} got rows that are not its own (difference {worst})");
        }
        var metrics = server.App.Services.GetService(typeof(ModelZoo.Server.Hosting.ServerMetrics)) as ModelZoo.Server.Hosting.ServerMetrics;
        Assert.True(metrics!.BatchCounts(MobileNetHome.Handle).Batched >= 1, "four concurrent requests within 300 ms should share an inference call");
        Assert.Contains("zoo_http_requests_total{route=\"v2-infer\",status=\"200\"} 4", server.Metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_tensors_get_a_400_with_a_protocol_error_and_the_api_key_guards_everything_but_health()
    {
        await using var server = await RunningServer.StartAsync(home.Settings, o =>
        {
            o.Models.Add(MobileNetHome.Handle);
            o.ApiKey = "s3cret";
            o.MaxRequestBytes = 1024 * 1024;
        });
        var (input, _, _) = await MobileNetTensors.ReferenceAsync(home.Settings, MobileNetTensors.Dog());
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/v2/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.GetAsync(ModelPath)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.PostAsync(ModelPath + "/infer", new StringContent("{}"))).StatusCode);
        server.Client.DefaultRequestHeaders.Add("X-Api-Key", "s3cret");

        async Task<string> ErrorOf(object request)
        {
            var response = await server.Client.PostAsync(ModelPath + "/infer",
                new StringContent(JsonSerializer.Serialize(request), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return json.RootElement.GetProperty("error").GetString()!;
        }

        Assert.Contains("FP32", await ErrorOf(new { inputs = new[] { new { name = input.Name, shape = new[] { 1, 2 }, datatype = "INT64", data = new[] { 1, 2 } } } }),
            StringComparison.Ordinal);
        Assert.Contains("shape", await ErrorOf(new { inputs = new[] { new { name = input.Name, shape = new[] { 1, 3, 2, 2 }, datatype = "FP32", data = new float[12] } } }),
            StringComparison.Ordinal);
        Assert.Contains("elements", await ErrorOf(new { inputs = new[] { new { name = input.Name, shape = new[] { 1, 3, 224, 224 }, datatype = "FP32", data = new float[5] } } }),
            StringComparison.Ordinal);
        Assert.Contains("no input 'nope'", await ErrorOf(new
        {
            inputs = new object[]
            {
                new { name = input.Name, shape = new[] { 1, 3, 224, 224 }, datatype = "FP32", data = new float[3 * 224 * 224] },
                new { name = "nope", shape = new[] { 1 }, datatype = "FP32", data = new float[1] },
            },
        }), StringComparison.Ordinal);
        Assert.Contains("'inputs'", await ErrorOf(new { }), StringComparison.Ordinal);
        // The body limit applies as to the native API: the dog tensor as JSON is about 1.5 MB.
        var tooLarge = await server.Client.PostAsync(ModelPath + "/infer", new StringContent(JsonSerializer.Serialize(new
        {
            inputs = new[] { new { name = input.Name, shape = new[] { 1, 3, 224, 224 }, datatype = "FP32", data = MobileNetTensors.Dog() } },
        }), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync(ModelPath)).StatusCode);
    }

    private static float[][][][] Nest(float[] flat)
    {
        var result = new float[1][][][];
        result[0] = new float[3][][];
        for (var c = 0; c < 3; c++)
        {
            result[0][c] = new float[224][];
            for (var y = 0; y < 224; y++)
            {
                result[0][c][y] = flat.AsSpan((c * 224 + y) * 224, 224).ToArray();
            }
        }
        return result;
    }
}
