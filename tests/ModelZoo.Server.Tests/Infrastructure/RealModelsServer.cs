using System.Text.Json;
using ModelZoo.Catalog;
using ModelZoo.Store;
using ModelZoo.Tests;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Server.Tests.Infrastructure;

/// <summary>
/// One server per test run over the checkout's shared store (<c>.cache/zoo-home</c>), serving the real catalog models
/// of every task: MobileNet (pulled through its loopback stand-in), NanoDet, MoveNet, BlazeFace with the GEAR and
/// emotion attribute models, the selfie segmenter, PP-OCRv4 and MiniLM, all pulled from the configured registries
/// once and loaded on first use. The cloud APIs use NanoDet for instances and objects.
/// </summary>
public sealed class RealModelsServer : IAsyncLifetime
{
    public const string Detector = "coco/nanodet/detection";
    public const string Pose = "body/movenet/lightning";
    public const string Faces = "face/blazeface/back_256";
    public const string Segmenter = "segmentation/selfie/mask";
    public const string Ocr = "ocr/ppocrv4/det";
    public const string TextEmbedder = "text/all-minilm-l6-v2/embedding";
    public static readonly string[] FaceAttributes = ["face/gear/attributes", "face/emotion_oarriaga/attributes"];

    /// <summary>The astronaut's face in skimage's astronaut.png (512×512), read off the image: hairline to chin, ear to ear.</summary>
    public static readonly (float X, float Y, float Width, float Height) AstronautFace = (170, 60, 110, 130);

    private RunningServer? _server;

    public RunningServer Server => _server ?? throw new InvalidOperationException("the fixture has not started");

    public static string Astronaut => TestAssets.Image("skimage/astronaut.png");

    public static string Dog => MobileNetHome.DogPhoto;

    public async Task InitializeAsync()
    {
        var settings = SharedStore.Settings;
        using (var store = new ModelStore(settings))
        {
            if (!store.IsCached(ModelCatalog.LoadBuiltin().Get(MobileNetHome.Handle)))
            {
                await MobileNetStore.PullAsync(settings, requireDownload: false);
            }
        }
        _server = await RunningServer.StartAsync(settings, o =>
        {
            o.LabelsModel = MobileNetHome.Handle;
            o.ObjectsModel = Detector;
            o.FacesModel = Faces;
            o.TextModel = "ocr/ppocrv4";
            foreach (var handle in FaceAttributes)
            {
                o.FaceAttributes.Add(handle);
            }
            // Two shared cores: one inference thread per model keeps concurrent test classes from oversubscribing them.
            o.Session = new Runtime.SessionSettings { IntraOpThreads = 1 };
            o.RequestTimeout = TimeSpan.FromMinutes(3);
            // The tests call every task's models by handle; they load on first use.
            o.AllowPull = true;
        });
    }

    /// <summary>POSTs a file to a model's predict route and returns the parsed body, asserting 200 and an answer in the
    /// shape the server's OpenAPI document publishes for the model's task.</summary>
    public Task<JsonDocument> PredictAsync(string handle, byte[] body, string query = "") => PredictAsync(Server, handle, body, query);

    /// <summary><see cref="PredictAsync(string, byte[], string)"/> on another server.</summary>
    public static async Task<JsonDocument> PredictAsync(RunningServer server, string handle, byte[] body, string query = "")
    {
        var response = await server.Client.PostAsync($"/v1/models/{handle}:predict{query}", new ByteArrayContent(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{handle}: {(int)response.StatusCode} {text}");
        await PublishedSchemas.AssertPredictAnswerAsync(server, handle, text);
        return JsonDocument.Parse(text);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>Tests that share the real-models server.</summary>
[CollectionDefinition(Name)]
public sealed class RealModelsCollection : ICollectionFixture<RealModelsServer>
{
    public const string Name = "Real models server";
}
