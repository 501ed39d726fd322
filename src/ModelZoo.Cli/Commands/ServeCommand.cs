using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelZoo.Server;

namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo serve</c>: serves catalog models over HTTP until Ctrl+C, then finishes in-flight requests.</summary>
public sealed class ServeCommand(ZooContext context) : AsyncCommand<ServeCommand.Settings>
{
    /// <summary>Options of <c>zoo serve</c>.</summary>
    public sealed class Settings : RuntimeSettings
    {
        /// <summary>Address to listen on.</summary>
        [CommandOption("--host <ADDRESS>"), Description("IP address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)."), DefaultValue("127.0.0.1")]
        public string Host { get; init; } = "127.0.0.1";

        /// <summary>Port to listen on.</summary>
        [CommandOption("-p|--port <PORT>"), Description("TCP port (default 8080; 0 picks a free one)."), DefaultValue(8080)]
        public int Port { get; init; } = 8080;

        /// <summary>Port of the Open Inference Protocol's gRPC listener.</summary>
        [CommandOption("--grpc-port <PORT>"), Description("Also serve the Open Inference Protocol's gRPC service (HTTP/2, no TLS) on this port; 0 picks a free one. REST v2 is always on --port under /v2.")]
        public int? GrpcPort { get; init; }

        /// <summary>Models to preload.</summary>
        [CommandOption("-m|--models <HANDLES>"), Description("Comma-separated handles, or model files (a catalog model's own file, or one the zoo wrote: train, quantize, headless, import), loaded and warmed at startup; clients can use only these and the cloud APIs' models unless --allow-pull (default: coco/nanodet/detection, face/blazeface/back_256, ocr/ppocrv4/det, all fetchable from NuGet/npm).")]
        public string? Models { get; init; }

        /// <summary>API key clients must send.</summary>
        [CommandOption("--api-key <KEY>"), Description("Require 'Authorization: Bearer KEY' or 'X-Api-Key: KEY' on the native and Vision APIs.")]
        public string? ApiKey { get; init; }

        /// <summary>Serve beyond loopback without an API key.</summary>
        [CommandOption("--no-auth"), Description("Allow listening on a non-loopback --host without --api-key (anyone who can reach the port may use the server).")]
        public bool NoAuth { get; init; }

        /// <summary>Let clients load any catalog model.</summary>
        [CommandOption("--allow-pull"), Description("Let clients load any catalog model of a served task, downloading it on first use (default: only the configured models).")]
        public bool AllowPull { get; init; }

        /// <summary>Largest micro-batch.</summary>
        [CommandOption("--max-batch <N>"), Description("Most requests per inference call (default 8; 1 disables batching)."), DefaultValue(8)]
        public int MaxBatch { get; init; } = 8;

        /// <summary>Batching window.</summary>
        [CommandOption("--max-wait-ms <MS>"), Description("How long a batch waits for more requests (default 5)."), DefaultValue(5)]
        public int MaxWaitMs { get; init; } = 5;

        /// <summary>Queue capacity per model.</summary>
        [CommandOption("--queue <N>"), Description("Requests that may wait per model before the server answers 429 (default 64)."), DefaultValue(64)]
        public int Queue { get; init; } = 64;

        /// <summary>Per-request timeout.</summary>
        [CommandOption("--timeout-ms <MS>"), Description("Longest time one request may take before it is answered 504 (default 30000)."), DefaultValue(30000)]
        public int TimeoutMs { get; init; } = 30000;

        /// <summary>Memory budget for loaded models.</summary>
        [CommandOption("--memory-budget-mb <MB>"), Description("Budget for loaded models, estimated as twice their size; idle models are evicted LRU (default 2048)."), DefaultValue(2048L)]
        public long MemoryBudgetMb { get; init; } = 2048;

        /// <summary>Memory budget for decoding client images.</summary>
        [CommandOption("--decode-budget-mb <MB>"), Description("Pixel memory for the images being decoded and predicted at once; past it requests wait, then get 503 (default 1024)."), DefaultValue(1024L)]
        public long DecodeBudgetMb { get; init; } = 1024;

        /// <summary>Request body limit.</summary>
        [CommandOption("--max-body-mb <MB>"), Description("Largest request body (default 16)."), DefaultValue(16)]
        public int MaxBodyMb { get; init; } = 16;

        /// <summary>Classifier behind the cloud label APIs.</summary>
        [CommandOption("--rekognition-labels <HANDLE>"), Description("Classification model behind Rekognition DetectLabels and Vision LABEL_DETECTION (default: the first classifier of --models).")]
        public string? LabelsModel { get; init; }

        /// <summary>Detector behind label instances and object localisation.</summary>
        [CommandOption("--rekognition-objects <HANDLE>"), Description("Object-detection model that fills DetectLabels Instances (boxes) and answers Vision OBJECT_LOCALIZATION (default: the first detection model of --models).")]
        public string? ObjectsModel { get; init; }

        /// <summary>OCR pipeline behind the cloud text APIs.</summary>
        [CommandOption("--rekognition-text <HANDLE>"), Description("OCR pipeline (e.g. ocr/ppocrv4) behind Rekognition DetectText and Vision TEXT_DETECTION (default: ocr/ppocrv4).")]
        public string? TextModel { get; init; }

        /// <summary>Face detector behind the cloud face APIs.</summary>
        [CommandOption("--rekognition-faces <HANDLE>"), Description("Face-detection model behind Rekognition DetectFaces and Vision FACE_DETECTION (default: face/blazeface/back_256).")]
        public string? FacesModel { get; init; }

        /// <summary>Face-attribute models run on every detected face.</summary>
        [CommandOption("--face-attributes <HANDLES>"), Description("Comma-separated face-attribute models (e.g. face/gear/attributes,face/emotion_oarriaga/attributes) run on every face: age, gender, emotion.")]
        public string? FaceAttributes { get; init; }

        /// <summary>AWS access key id for Signature V4 verification.</summary>
        [CommandOption("--aws-access-key <ID>"), Description("Verify AWS Signature V4 on Rekognition requests with this access key id (with --aws-secret-key).")]
        public string? AwsAccessKey { get; init; }

        /// <summary>AWS secret key for Signature V4 verification.</summary>
        [CommandOption("--aws-secret-key <SECRET>"), Description("Secret key matching --aws-access-key.")]
        public string? AwsSecretKey { get; init; }

        /// <summary>The handles of <see cref="Models"/>.</summary>
        public IReadOnlyList<string> ModelHandles =>
            (Models ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        /// <inheritdoc />
        public override ValidationResult Validate() => OptionRules.FirstError(base.Validate,
            (Port is < 0 or > 65535, "--port must be from 0 to 65535."),
            (GrpcPort is < 0 or > 65535, "--grpc-port must be from 0 to 65535."),
            (MaxBatch < 1 || Queue < 1 || TimeoutMs < 1 || MemoryBudgetMb < 1 || DecodeBudgetMb < 1 || MaxBodyMb < 1 || MaxWaitMs < 0,
                "--max-batch, --queue, --timeout-ms, --memory-budget-mb, --decode-budget-mb and --max-body-mb must be positive, --max-wait-ms 0 or more."),
            ((AwsAccessKey is null) != (AwsSecretKey is null), "--aws-access-key and --aws-secret-key go together."));

        /// <summary>The server options these settings describe.</summary>
        public ZooServerOptions ToOptions(ZooSettings zooSettings)
        {
            var options = new ZooServerOptions
            {
                Settings = zooSettings,
                MaxBatch = MaxBatch,
                MaxWait = TimeSpan.FromMilliseconds(MaxWaitMs),
                QueueCapacity = Queue,
                RequestTimeout = TimeSpan.FromMilliseconds(TimeoutMs),
                MemoryBudgetBytes = MemoryBudgetMb * 1024 * 1024,
                MaxRequestBytes = MaxBodyMb * 1024L * 1024,
                DecodeBudgetBytes = DecodeBudgetMb * 1024 * 1024,
                ApiKey = ApiKey,
                NoAuth = NoAuth,
                AllowPull = AllowPull,
                AwsAccessKey = AwsAccessKey,
                AwsSecretKey = AwsSecretKey,
                LabelsModel = LabelsModel,
                ObjectsModel = ObjectsModel,
                TextModel = TextModel,
                FacesModel = FacesModel,
                Session = Session(),
                GrpcPort = GrpcPort,
            };
            foreach (var handle in Models is null ? ZooServerOptions.DefaultModels : ModelHandles)
            {
                options.Models.Add(handle);
            }
            foreach (var handle in (FaceAttributes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                options.FaceAttributes.Add(handle);
            }
            return options;
        }
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var options = settings.ToOptions(context.Settings);
        await ServeModelFilesAsync(options, cancellationToken).ConfigureAwait(false);
        options.Catalog = context.Catalog;
        options.Store = context.Store;
        WebApplication built;
        try
        {
            built = ZooServer.Build(options, settings.Host, settings.Port, logging => logging
                .SetMinimumLevel(settings.Verbose ? LogLevel.Debug : LogLevel.Information)
                .AddFilter("Microsoft", LogLevel.Warning)
                .AddSimpleConsole(c =>
                {
                    c.SingleLine = true;
                    c.TimestampFormat = "HH:mm:ss ";
                }));
        }
        catch (ZooUsageException ex)
        {
            throw new ZooUsageException(WithFlags(ex.Message));
        }
        await using var app = built;
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var addresses = ZooServer.Addresses(app);
        context.Status.MarkupLine($"[green]listening[/] on {Markup.Escape(addresses[0].ToString())}  (web page at /, API at /v1/models, Open Inference Protocol at /v2, OpenAPI at /openapi/v1.json)");
        foreach (var address in addresses.Skip(1))
        {
            context.Status.MarkupLine($"[green]listening[/] on {Markup.Escape(address.ToString())}  (Open Inference Protocol gRPC, HTTP/2)");
        }
        if (options.Models.Count > 0)
        {
            context.Status.MarkupLine($"preloading {Markup.Escape(string.Join(", ", options.Models))}; /readyz answers 200 when they are warm");
        }
        if (options.ApiKey is not null && options.AwsAccessKey is null)
        {
            context.Status.MarkupLine("[yellow]note[/] the Rekognition endpoint needs X-Api-Key too, which AWS SDKs cannot send; add --aws-access-key/--aws-secret-key for them");
        }
        context.Status.MarkupLine("press Ctrl+C to stop (in-flight requests are finished first)");
        // Returns after Ctrl+C or SIGTERM once the host has stopped, which waits for in-flight requests.
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        context.Status.MarkupLine("stopped");
        return 0;
    }

    /// <summary>Replaces each model file among the served models (<c>--models</c>, the cloud APIs' models, the face
    /// attributes) with the handle it is served under. A catalog model's file is served as that card, from this file
    /// (it is put in the store as a pull would); a file that describes itself gets a card for this run, registered
    /// nowhere.</summary>
    private async Task ServeModelFilesAsync(ZooServerOptions options, CancellationToken cancellationToken)
    {
        var handles = new Dictionary<string, string>(StringComparer.Ordinal);
        var catalogFiles = new List<ModelCard>();
        string HandleOf(string model)
        {
            if (!LocalModelCards.IsModelFile(model))
            {
                return model;
            }
            var full = LocalModelCards.RequireFile(model);
            if (handles.TryGetValue(full, out var known))
            {
                return known;
            }
            var card = LocalModelCards.RunsAs(context, full, "serve a catalog handle instead");
            if (context.Catalog.TryGet(card.Handle, out var catalogCard)
                && string.Equals(catalogCard.ModelFile.Sha256, card.ModelFile.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                catalogFiles.Add(card);
            }
            else
            {
                try
                {
                    context.Catalog.Include(card, full);
                }
                catch (DuplicateModelException)
                {
                    throw new ZooUsageException($"'{model}' would be served as '{card.Handle}', the handle of another card ({context.Catalog.OriginOf(card.Handle)}); register the file under a handle of its own with `zoo card new {model} --handle NAME` and serve that handle.");
                }
            }
            context.Status.MarkupLine($"[grey]serving[/] {Markup.Escape(model)} as {Markup.Escape(card.Handle)}");
            return handles[full] = card.Handle;
        }

        void ReplaceAll(IList<string> list)
        {
            var served = list.Select(HandleOf).ToList();
            list.Clear();
            served.ForEach(list.Add);
        }

        ReplaceAll(options.Models);
        ReplaceAll(options.FaceAttributes);
        options.LabelsModel = options.LabelsModel is { } labels ? HandleOf(labels) : null;
        options.ObjectsModel = options.ObjectsModel is { } objects ? HandleOf(objects) : null;
        options.FacesModel = options.FacesModel is { } faces ? HandleOf(faces) : null;
        if (catalogFiles.Count > 0)
        {
            await PullProgressDisplay.PullAsync(context, catalogFiles, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The server names its options by <see cref="ZooServerOptions"/> member; this command's users know its flags.</summary>
    private static readonly (string Member, string Flag)[] Flags =
    [
        ("ZooServerOptions.MaxBatch", "--max-batch"), ("ZooServerOptions.MaxWait", "--max-wait-ms"), ("ZooServerOptions.QueueCapacity", "--queue"),
        ("ZooServerOptions.RequestTimeout", "--timeout-ms"), ("ZooServerOptions.MemoryBudgetBytes", "--memory-budget-mb"),
        ("ZooServerOptions.DecodeBudgetBytes", "--decode-budget-mb"), ("ZooServerOptions.MaxRequestBytes", "--max-body-mb"),
        ("ZooServerOptions.GrpcPort", "--grpc-port"), ("ZooServerOptions.ApiKey", "--api-key"), ("ZooServerOptions.NoAuth", "--no-auth"),
        ("ZooServerOptions.AwsAccessKey", "--aws-access-key"), ("ZooServerOptions.AwsSecretKey", "--aws-secret-key"),
        ("ZooServerOptions.LabelsModel", "--rekognition-labels"), ("ZooServerOptions.ObjectsModel", "--rekognition-objects"),
        ("ZooServerOptions.TextModel", "--rekognition-text"), ("ZooServerOptions.FacesModel", "--rekognition-faces"),
        ("ZooServerOptions.FaceAttributes", "--face-attributes"), ("ZooServerOptions.Models", "--models"), ("ZooServerOptions.AllowPull", "--allow-pull"),
    ];

    /// <summary>A server message with each <see cref="ZooServerOptions"/> member it names replaced by this command's flag.</summary>
    internal static string WithFlags(string message)
    {
        // Longest first, so that no member name is replaced inside a longer one.
        foreach (var (member, flag) in Flags.OrderByDescending(f => f.Member.Length))
        {
            message = message.Replace(member, flag, StringComparison.Ordinal);
        }
        return message;
    }
}
