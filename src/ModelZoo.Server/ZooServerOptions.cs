namespace ModelZoo.Server;

/// <summary>
/// How a ModelZoo server behaves: which models it preloads, batching and queue limits, timeouts, memory budget
/// and authentication. Passed to <see cref="ModelZooServiceCollectionExtensions.AddModelZoo(Microsoft.Extensions.DependencyInjection.IServiceCollection, ZooServerOptions)"/>.
/// </summary>
public sealed class ZooServerOptions
{
    /// <summary>Store location, offline flag and registries. Required unless both <see cref="Catalog"/> and <see cref="Store"/> are given.</summary>
    public ZooSettings? Settings { get; set; }

    /// <summary>The catalog to serve from; null loads the built-in plus user catalog of <see cref="Settings"/>.</summary>
    public ModelCatalog? Catalog { get; set; }

    /// <summary>The store models are pulled into; null creates one over <see cref="Settings"/> (owned by the server).</summary>
    public ModelStore? Store { get; set; }

    /// <summary>Task adapters; null uses <see cref="TaskEndpointRegistry.CreateDefault"/>.</summary>
    public TaskEndpointRegistry? Tasks { get; set; }

    /// <summary>Handles loaded and warmed at startup and never evicted; <c>/readyz</c> answers 200 once they are ready.</summary>
    public IList<string> Models { get; } = [];

    /// <summary>Most requests one inference call takes (1 disables batching).</summary>
    public int MaxBatch { get; set; } = 8;

    /// <summary>How long the batcher waits for more requests after the first one arrives.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Requests that may wait per model; beyond this the server answers 429 with <c>Retry-After</c>.</summary>
    public int QueueCapacity { get; set; } = 64;

    /// <summary>Longest time one request may take (waiting for a model load included) before it is answered 504.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Budget for loaded models, estimated as twice their files' size; least recently used idle models are evicted past it.</summary>
    public long MemoryBudgetBytes { get; set; } = 2048L * 1024 * 1024;

    /// <summary>Largest request body accepted (413 beyond it; Rekognition answers ImageTooLargeException).</summary>
    public long MaxRequestBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>Limits for decoding client images: at most 50 megapixels, and an image over 16.7 megapixels (4096 × 4096)
    /// is decoded smaller (the models see a few hundred pixels a side), so that while it waits for and goes through its
    /// model it holds no more than an ordinary photo. Ordinary photos decode exactly as before.</summary>
    public ModelZoo.Imaging.ImageDecodeOptions Decode { get; set; } = new() { MaxPixels = 50_000_000, MaxDecodedPixels = 4096 * 4096 };

    /// <summary>Budget for the pixel memory of the images being decoded and predicted at once (1 GiB by default; a 12-megapixel
    /// photo takes about 84 MB, a 7000 × 7000 PNG about 280 MB while it is decoded); a request whose image does not fit
    /// waits for room up to <see cref="RequestTimeout"/>, then gets 503 with <c>Retry-After</c>.</summary>
    public long DecodeBudgetBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>When set, requests to the native and Vision APIs must carry it as <c>Authorization: Bearer KEY</c> or <c>X-Api-Key</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>AWS access key id that Rekognition requests must be signed with (with <see cref="AwsSecretKey"/>); null accepts any signature.</summary>
    public string? AwsAccessKey { get; set; }

    /// <summary>AWS secret key used to verify Signature Version 4 on Rekognition requests.</summary>
    public string? AwsSecretKey { get; set; }

    /// <summary>The image-classification model behind Rekognition DetectLabels and Vision LABEL_DETECTION; null picks the first
    /// classification model of <see cref="Models"/>.</summary>
    public string? LabelsModel { get; set; }

    /// <summary>The object-detection model whose boxes fill Rekognition DetectLabels' <c>Instances</c> and answer Vision
    /// OBJECT_LOCALIZATION; null picks the first detection model of <see cref="Models"/> (none: labels carry no instances).</summary>
    public string? ObjectsModel { get; set; }

    /// <summary>The OCR pipeline behind Rekognition DetectText and Vision TEXT_DETECTION: a text-detection card
    /// (<c>ocr/ppocrv4/det</c>) or its pipeline prefix (<c>ocr/ppocrv4</c>); null picks the first text-detection model of
    /// <see cref="Models"/>, else <see cref="DefaultTextModel"/>.</summary>
    public string? TextModel { get; set; }

    /// <summary>The face-detection model behind Rekognition DetectFaces and Vision FACE_DETECTION; null picks the first
    /// face-detection model of <see cref="Models"/>, else <see cref="DefaultFacesModel"/>.</summary>
    public string? FacesModel { get; set; }

    /// <summary>
    /// What <c>zoo serve</c> preloads when no models are named: a COCO detector (labels, instances and objects for the
    /// cloud APIs), the default face detector and OCR pipeline. All come from NuGet/npm packages, so a user without
    /// access to other model hosts can fetch them.
    /// </summary>
    public static IReadOnlyList<string> DefaultModels { get; } = ["coco/nanodet/detection", DefaultFacesModel, DefaultTextModel];

    /// <summary>The OCR pipeline used when none is configured.</summary>
    public const string DefaultTextModel = "ocr/ppocrv4/det";

    /// <summary>The face detector used when none is configured: BlazeFace's full-range (back camera) model, which also
    /// finds the smaller faces of ordinary photos.</summary>
    public const string DefaultFacesModel = "face/blazeface/back_256";

    /// <summary>Face-attribute models (age, gender, emotion) run on every face a face-detection model finds, in this
    /// order; empty for boxes and landmarks only.</summary>
    public IList<string> FaceAttributes { get; } = [];

    /// <summary>
    /// Whether clients may load (and so make the server download) any catalog model of a served task. Off by default:
    /// only the configured models are served (<see cref="ConfiguredModels"/>), so an anonymous client cannot fill the
    /// disk or the memory budget with models nobody chose.
    /// </summary>
    public bool AllowPull { get; set; }

    /// <summary>
    /// Whether the server may listen beyond the loopback interface without <see cref="ApiKey"/> or AWS keys.
    /// Off by default: <see cref="ZooServer.Build"/> refuses such a configuration.
    /// </summary>
    public bool NoAuth { get; set; }

    /// <summary>The handles clients may load when <see cref="AllowPull"/> is off: <see cref="Models"/>, the cloud APIs'
    /// models (configured, or the defaults for text and faces) and <see cref="FaceAttributes"/>. Companion models load
    /// with the model that needs them.</summary>
    public IReadOnlyList<string> ConfiguredModels()
    {
        var handles = new List<string>(Models);
        handles.AddRange(new[] { LabelsModel, ObjectsModel, FacesModel ?? DefaultFacesModel }.OfType<string>());
        handles.AddRange(FaceAttributes);
        // May be a pipeline prefix (ocr/ppocrv4) naming its detector card.
        handles.Add(TextModel ?? DefaultTextModel);
        return handles.Distinct(StringComparer.Ordinal).ToList();
    }
    /// <summary>Port of the HTTP/2 (cleartext) listener that serves the Open Inference Protocol's gRPC service; null for
    /// none (0 picks a free port). The REST routes stay on the main port.</summary>
    public int? GrpcPort { get; set; }

    /// <summary>ONNX Runtime settings for every served model.</summary>
    public SessionSettings Session { get; set; } = new();

    /// <summary>Checks the values and returns the first problem, or null when they are usable.</summary>
    public string? Validate()
    {
        if (Settings is null && (Catalog is null || Store is null))
        {
            return "Settings must be set unless both Catalog and Store are given";
        }
        if (MaxBatch < 1)
        {
            return "ZooServerOptions.MaxBatch must be at least 1";
        }
        if (MaxWait < TimeSpan.Zero)
        {
            return "ZooServerOptions.MaxWait must be 0 or more";
        }
        if (QueueCapacity < 1)
        {
            return "ZooServerOptions.QueueCapacity must be at least 1";
        }
        if (RequestTimeout <= TimeSpan.Zero)
        {
            return "ZooServerOptions.RequestTimeout must be positive";
        }
        if (MemoryBudgetBytes <= 0)
        {
            return "ZooServerOptions.MemoryBudgetBytes must be positive";
        }
        if (DecodeBudgetBytes <= 0)
        {
            return "ZooServerOptions.DecodeBudgetBytes must be positive";
        }
        if (GrpcPort is < 0 or > 65535)
        {
            return "ZooServerOptions.GrpcPort must be from 0 to 65535";
        }
        if (MaxRequestBytes <= 0)
        {
            return "ZooServerOptions.MaxRequestBytes must be positive";
        }
        if ((AwsAccessKey is null) != (AwsSecretKey is null))
        {
            return "ZooServerOptions.AwsAccessKey and ZooServerOptions.AwsSecretKey go together; give both or neither";
        }
        if (Models.Concat(FaceAttributes).FirstOrDefault(m => !ModelCardValidator.IsValidHandle(m)) is { } bad)
        {
            return $"'{bad}' is not a model handle";
        }
        foreach (var (name, handle) in new[] { (nameof(LabelsModel), LabelsModel), (nameof(ObjectsModel), ObjectsModel),
                     (nameof(TextModel), TextModel), (nameof(FacesModel), FacesModel) })
        {
            if (handle is not null && !ModelCardValidator.IsValidHandle(handle))
            {
                return $"ZooServerOptions.{name} '{handle}' is not a model handle";
            }
        }
        return null;
    }
}
