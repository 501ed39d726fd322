using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Server;
using ModelZoo.Server.InferenceProtocol.Grpc;

namespace ModelZoo.Benchmarks;

/// <summary>
/// Latency of one request at a time against the MobileNet v2 int8 classifier, in-process on loopback: the native
/// endpoint (JPEG body: decode, preprocess, inference, top-5 JSON) against the Open Inference Protocol's tensor
/// endpoints (the preprocessed [1,3,224,224] tensor in, the 1000 logits out) as REST JSON, REST binary and gRPC raw.
/// </summary>
internal static class V2Latency
{
    private const string Handle = "imagenet/mobilenet_v2_int8/classification";
    private const string V2Name = "imagenet~mobilenet_v2_int8~classification";

    public static async Task<int> RunAsync(string[] args)
    {
        var requests = args.Length > 1 && args[0] == "--requests" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        var home = Path.Combine(Path.GetTempPath(), "zoo-v2-latency-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var settings = new ZooSettings { Home = home };
            await ServeLoad.PullMobileNetAsync(settings);
            var options = new ZooServerOptions { Settings = settings with { Offline = true }, GrpcPort = 0 };
            options.Models.Add(Handle);
            await using var app = ZooServer.Build(options, "127.0.0.1", 0);
            await app.StartAsync();
            await app.Services.GetRequiredService<ModelZoo.Server.Hosting.ModelWarmup>().Ready;
            var addresses = ZooServer.Addresses(app);
            using var http = new HttpClient { BaseAddress = addresses[0] };
            using var channel = GrpcChannel.ForAddress(addresses[1]);
            var grpc = new GRPCInferenceService.GRPCInferenceServiceClient(channel);

            var jpeg = await File.ReadAllBytesAsync(Path.Combine(BenchAssets.RepoRoot, "samples", "dog.jpg"));
            var card = ModelCatalog.LoadBuiltin().Get(Handle);
            var tensor = new float[ImagePreprocessor.TensorLength(card.Input!)];
            using (var image = ImageDecoder.Decode(Path.Combine(BenchAssets.RepoRoot, "samples", "dog.jpg")))
            {
                ImagePreprocessor.WriteTensor(image, card.Input!, tensor);
            }
            using var metadata = JsonDocument.Parse(await http.GetStringAsync($"/v2/models/{V2Name}"));
            var inputName = metadata.RootElement.GetProperty("inputs")[0].GetProperty("name").GetString()!;
            var json = JsonSerializer.Serialize(new { inputs = new[] { new { name = inputName, shape = new[] { 1, 3, 224, 224 }, datatype = "FP32", data = tensor } } });
            var raw = MemoryMarshal.AsBytes(tensor.AsSpan()).ToArray();
            var header = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
            {
                inputs = new[] { new { name = inputName, shape = new[] { 1, 3, 224, 224 }, datatype = "FP32", parameters = new { binary_data_size = raw.Length } } },
                parameters = new { binary_data_output = true },
            }));
            var grpcRequest = new ModelInferRequest { ModelName = V2Name };
            grpcRequest.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = inputName, Datatype = "FP32", Shape = { 1, 3, 224, 224 } });
            grpcRequest.RawInputContents.Add(ByteString.CopyFrom(raw));

            Console.WriteLine($"v2-latency: {requests} sequential requests per endpoint, {Environment.ProcessorCount} cores, load {Load()}, model {Handle}");
            Console.WriteLine();
            Console.WriteLine("| endpoint | body in | requests | p50 ms | p90 ms | p99 ms | mean ms |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            await MeasureAsync("native POST /v1/models/{handle}:predict (JPEG)", jpeg.Length, requests, async () =>
            {
                using var body = new ByteArrayContent(jpeg);
                body.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
                (await http.PostAsync($"/v1/models/{Handle}:predict", body)).EnsureSuccessStatusCode();
            });
            await MeasureAsync("v2 REST infer, JSON tensor", json.Length, requests, async () =>
                (await http.PostAsync($"/v2/models/{V2Name}/infer", new StringContent(json, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode());
            await MeasureAsync("v2 REST infer, binary tensor", header.Length + raw.Length, requests, async () =>
            {
                using var body = new ByteArrayContent([.. header, .. raw]);
                body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                body.Headers.Add("Inference-Header-Content-Length", header.Length.ToString(CultureInfo.InvariantCulture));
                (await http.PostAsync($"/v2/models/{V2Name}/infer", body)).EnsureSuccessStatusCode();
            });
            await MeasureAsync("v2 gRPC ModelInfer, raw tensor", raw.Length, requests, async () => await grpc.ModelInferAsync(grpcRequest));
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(home, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS to clean.
            }
        }
    }

    private static async Task MeasureAsync(string name, int bodyBytes, int requests, Func<Task> call)
    {
        for (var i = 0; i < 10; i++)
        {
            await call();
        }
        var times = new List<double>(requests);
        for (var i = 0; i < requests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await call();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        times.Sort();
        string P(double p) => times[Math.Min(times.Count - 1, (int)(p * times.Count))].ToString("0.0", CultureInfo.InvariantCulture);
        Console.WriteLine($"| {name} | {bodyBytes / 1024} KB | {requests} | {P(0.5)} | {P(0.9)} | {P(0.99)} | {times.Average().ToString("0.0", CultureInfo.InvariantCulture)} |");
    }

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
}
