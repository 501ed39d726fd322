using System.Reflection;

namespace ModelZoo;

/// <summary>
/// Every error code the library, the training library, batch jobs and the CLI raise, each with its exit code and a
/// general next step (a code that an exception type also keeps as a constant, for pattern matching, is that constant). Raise an error through its entry (<c>ZooErrors.DiskFull.Raise(message)</c>) and compare codes
/// against it (<c>error.Code == ZooErrors.DiskFull.Code</c>); a new code is a new entry here. Messages name API
/// members (<c>ImageTaskOptions.MaxBatch</c>), never a front end's flags: the CLI maps members to its flags.
/// </summary>
public static class ZooErrors
{
    // General
    /// <summary><c>usage</c>.</summary>
    public static readonly ZooError Usage = new("usage", 2, "check the command's options with --help");

    // Store
    /// <summary><c>bad-assembly</c>.</summary>
    public static readonly ZooError BadAssembly = new("bad-assembly", 1, "fix the path before '!' in the model card's source");

    /// <summary><c>store-unreadable</c>.</summary>
    public static readonly ZooError StoreUnreadable = new("store-unreadable", 1, "check the store folder's permissions or remove the model and pull it again");

    /// <summary><c>store-locked</c>.</summary>
    public static readonly ZooError StoreLocked = new("store-locked", 1, "stop the other process that holds the store lock and try again");

    /// <summary><c>store-not-writable</c>.</summary>
    public static readonly ZooError StoreNotWritable = new("store-not-writable", 1, "make the store folder writable or point the home setting at a writable folder");

    /// <summary><c>card-size-mismatch</c>.</summary>
    public static readonly ZooError CardSizeMismatch = new("card-size-mismatch", 1, "fix files[].size in the model card");

    /// <summary><c>not-in-package</c>.</summary>
    public static readonly ZooError NotInPackage = new("not-in-package", 1, "fix the file path in the model card's source");

    /// <summary><c>disk-full</c>.</summary>
    public static readonly ZooError DiskFull = new("disk-full", 1, "free disk space or move the store to a larger volume");

    /// <summary><c>file-not-found</c>.</summary>
    public static readonly ZooError FileNotFound = new("file-not-found", 1, "fix the file: path in the model card");

    /// <summary><c>download-failed</c>.</summary>
    public static readonly ZooError DownloadFailed = new("download-failed", 1, "check the network or the registry configuration and try again");

    /// <summary><c>package-integrity</c>.</summary>
    public static readonly ZooError PackageIntegrity = new("package-integrity", 1, "pull again; report the package if it stays wrong");

    /// <summary><c>offline</c>.</summary>
    public static readonly ZooError Offline = new("offline", 1, "pull the model while online first");

    /// <summary><c>checksum-mismatch</c>.</summary>
    public static readonly ZooError ChecksumMismatch = new("checksum-mismatch", 1, "pull again; report the card if the hash stays wrong");

    /// <summary><c>blob-corrupt</c>.</summary>
    public static readonly ZooError BlobCorrupt = new("blob-corrupt", 1, "pull the model again");

    /// <summary><c>unsafe-archive</c>.</summary>
    public static readonly ZooError UnsafeArchive = new("unsafe-archive", 1, "use a package from a trusted source");

    // Catalog
    /// <summary><c>card-output-anchors</c>.</summary>
    public static readonly ZooError CardOutputAnchors = new("card-output-anchors", 1, "fix the anchors in the card's output section");

    /// <summary><c>model-not-found</c>.</summary>
    public static readonly ZooError ModelNotFound = new("model-not-found", 1, "pick a handle from the catalog listing");

    /// <summary><c>duplicate-model</c>.</summary>
    public static readonly ZooError DuplicateModel = new("duplicate-model", 1, "remove or rename one of the two cards");

    /// <summary><c>invalid-model-card</c>.</summary>
    public static readonly ZooError InvalidModelCard = new("invalid-model-card", 1, "fix or remove the card");

    /// <summary><c>card-input-missing</c>.</summary>
    public static readonly ZooError CardInputMissing = new("card-input-missing", 1, "add an 'input' section to the card");

    /// <summary><c>card-labels-missing</c>.</summary>
    public static readonly ZooError CardLabelsMissing = new("card-labels-missing", 1, "add a 'labels' section to the card");

    /// <summary><c>card-text-missing</c>.</summary>
    public static readonly ZooError CardTextMissing = new("card-text-missing", 1, "add a 'text' section to the card");

    /// <summary><c>card-output-size</c>.</summary>
    public static readonly ZooError CardOutputSize = new("card-output-size", 1, "fix output.size in the card");

    /// <summary><c>decoder-unknown</c>.</summary>
    public static readonly ZooError DecoderUnknown = new("decoder-unknown", 1, "set output.decoder to one the task knows");

    // Imaging
    /// <summary><c>input-size-dynamic</c>.</summary>
    public static readonly ZooError InputSizeDynamic = new("input-size-dynamic", 1, "resolve the input size for the image first");

    /// <summary><c>input-spec-invalid</c>.</summary>
    public static readonly ZooError InputSpecInvalid = new("input-spec-invalid", 1, "fix the model card's input section");

    /// <summary><c>image-empty</c>.</summary>
    public static readonly ZooError ImageEmpty = new(Imaging.ImageDecodeException.EmptyCode, 1, "pass a non-empty image file");

    /// <summary><c>image-truncated</c>.</summary>
    public static readonly ZooError ImageTruncated = new(Imaging.ImageDecodeException.TruncatedCode, 1, "pass the complete image file");

    /// <summary><c>image-corrupt</c>.</summary>
    public static readonly ZooError ImageCorrupt = new(Imaging.ImageDecodeException.CorruptCode, 1, "pass a valid image file");

    /// <summary><c>image-unsupported</c>.</summary>
    public static readonly ZooError ImageUnsupported = new(Imaging.ImageDecodeException.UnsupportedCode, 1, "convert the image to JPEG or PNG");

    /// <summary><c>image-too-large</c>.</summary>
    public static readonly ZooError ImageTooLarge = new(Imaging.ImageDecodeException.TooLargeCode, 1, "pass a smaller image");

    /// <summary><c>image-not-found</c>.</summary>
    public static readonly ZooError ImageNotFound = new(Imaging.ImageDecodeException.NotFoundCode, 1, "check the image path");

    // Runtime
    /// <summary><c>model-input-extra</c>.</summary>
    public static readonly ZooError ModelInputExtra = new("model-input-extra", 1, "use a model whose inputs the task can fill");

    /// <summary><c>model-load</c>.</summary>
    public static readonly ZooError ModelLoad = new(Runtime.ModelLoadException.ErrorCode, 1, "check that the model file is a valid model for ONNX Runtime");

    /// <summary><c>execution-provider</c>.</summary>
    public static readonly ZooError ExecutionProvider = new(Runtime.ExecutionProviderException.ErrorCode, 1, "run on the CPU or install the execution provider's runtime");

    /// <summary><c>model-input-missing</c>.</summary>
    public static readonly ZooError ModelInputMissing = new("model-input-missing", 1, "fix input.name in the model card");

    /// <summary><c>model-input-type</c>.</summary>
    public static readonly ZooError ModelInputType = new("model-input-type", 1, "re-export the model with a float, uint8 or int32 image input");

    /// <summary><c>model-input-not-image</c>.</summary>
    public static readonly ZooError ModelInputNotImage = new("model-input-not-image", 1, "use a model that takes an image tensor");

    /// <summary><c>model-output-missing</c>.</summary>
    public static readonly ZooError ModelOutputMissing = new("model-output-missing", 1, "fix output.name in the model card");

    /// <summary><c>model-output-shape</c>.</summary>
    public static readonly ZooError ModelOutputShape = new("model-output-shape", 1, "check that the card's output spec matches the model");

    /// <summary><c>model-output-not-vector</c>.</summary>
    public static readonly ZooError ModelOutputNotVector = new("model-output-not-vector", 1, "cut the model down to its feature vector first");

    /// <summary><c>model-io-missing</c>.</summary>
    public static readonly ZooError ModelIoMissing = new("model-io-missing", 1, "fix the card's input.name and output.name");

    /// <summary><c>model-file-missing</c>.</summary>
    public static readonly ZooError ModelFileMissing = new("model-file-missing", 1, "check the model file's path");

    /// <summary><c>text-model-inputs</c>.</summary>
    public static readonly ZooError TextModelInputs = new("text-model-inputs", 1, "check the card's task and model file");

    /// <summary><c>text-model-outputs</c>.</summary>
    public static readonly ZooError TextModelOutputs = new("text-model-outputs", 1, "fix output.name and output.size in the card");

    /// <summary><c>text-pooling-unknown</c>.</summary>
    public static readonly ZooError TextPoolingUnknown = new("text-pooling-unknown", 1, "use mean-pooling or cls-pooling in the card's output.decoder");

    /// <summary><c>vocab-invalid</c>.</summary>
    public static readonly ZooError VocabInvalid = new("vocab-invalid", 1, "fix the card's vocabulary file");

    /// <summary><c>text-file-encoding</c>.</summary>
    public static readonly ZooError TextFileEncoding = new("text-file-encoding", 1, "save the file as UTF-8");

    /// <summary><c>ragged-features</c>.</summary>
    public static readonly ZooError RaggedFeatures = new("ragged-features", 1, "write the features as JSON");

    // Onnx
    /// <summary><c>headless-no-features</c>.</summary>
    public static readonly ZooError HeadlessNoFeatures = new("headless-no-features", 1, "name the feature tensor to cut at");

    /// <summary><c>compose-prefix-shape</c>.</summary>
    public static readonly ZooError ComposePrefixShape = new("compose-prefix-shape", 1, "give a prefix graph with one input and one output");

    /// <summary><c>compose-input-missing</c>.</summary>
    public static readonly ZooError ComposeInputMissing = new("compose-input-missing", 1, "name an input the model has");

    /// <summary><c>compose-name-clash</c>.</summary>
    public static readonly ZooError ComposeNameClash = new("compose-name-clash", 1, "rename the prefix input");

    /// <summary><c>headless-tensor-missing</c>.</summary>
    public static readonly ZooError HeadlessTensorMissing = new("headless-tensor-missing", 1, "cut at one of the candidate tensors");

    /// <summary><c>headless-quantization-unknown</c>.</summary>
    public static readonly ZooError HeadlessQuantizationUnknown = new("headless-quantization-unknown", 1, "cut at a float tensor");

    /// <summary><c>headless-feature-size-unknown</c>.</summary>
    public static readonly ZooError HeadlessFeatureSizeUnknown = new("headless-feature-size-unknown", 1, "cut at a pooled tensor with a recorded shape");

    /// <summary><c>headless-invalid-graph</c>.</summary>
    public static readonly ZooError HeadlessInvalidGraph = new("headless-invalid-graph", 1, "re-export the source model");

    // Import
    /// <summary><c>format-not-importable</c>.</summary>
    public static readonly ZooError FormatNotImportable = new("format-not-importable", 1, "choose an ONNX or TFJS model");

    /// <summary><c>tfjs-invalid-model</c>.</summary>
    public static readonly ZooError TfjsInvalidModel = new("tfjs-invalid-model", 1, "re-export the TFJS model");

    /// <summary><c>tfjs-unsupported-ops</c>.</summary>
    public static readonly ZooError TfjsUnsupportedOps = new("tfjs-unsupported-ops", 1, "choose a model without the listed operators");

    // Quantization
    /// <summary><c>quantize-agreement</c>.</summary>
    public static readonly ZooError QuantizeAgreement = new("quantize-agreement", 1, "calibrate with percentile or more varied images, or keep the head in float");

    /// <summary><c>quantize-already-quantized</c>.</summary>
    public static readonly ZooError QuantizeAlreadyQuantized = new("quantize-already-quantized", 1, "quantize the float model instead");

    /// <summary><c>quantize-dynamic-input</c>.</summary>
    public static readonly ZooError QuantizeDynamicInput = new("quantize-dynamic-input", 1, "give the model a fixed input size");

    /// <summary><c>quantize-nothing</c>.</summary>
    public static readonly ZooError QuantizeNothing = new("quantize-nothing", 1, "quantize a model with Conv, Gemm or MatMul layers");

    /// <summary><c>quantize-opset</c>.</summary>
    public static readonly ZooError QuantizeOpset = new("quantize-opset", 1, "re-export the model with a newer opset");

    /// <summary><c>quantize-subgraph</c>.</summary>
    public static readonly ZooError QuantizeSubgraph = new("quantize-subgraph", 1, "quantize a model without control-flow subgraphs");

    /// <summary><c>quantize-unsupported-op</c>.</summary>
    public static readonly ZooError QuantizeUnsupportedOp = new("quantize-unsupported-op", 1, "re-export the model without the named operator");

    // Training
    /// <summary><c>image-unreadable</c>.</summary>
    public static readonly ZooError ImageUnreadable = new("image-unreadable", 1, "check the image path and permissions");

    /// <summary><c>training-diverged</c>.</summary>
    public static readonly ZooError TrainingDiverged = new("training-diverged", 1, "train again with a lower learning rate");

    /// <summary><c>dataset-not-found</c>.</summary>
    public static readonly ZooError DatasetNotFound = new("dataset-not-found", 1, "check the data folder or CSV path");

    /// <summary><c>dataset-empty</c>.</summary>
    public static readonly ZooError DatasetEmpty = new("dataset-empty", 1, "add images to the data folder");

    /// <summary><c>dataset-too-few-classes</c>.</summary>
    public static readonly ZooError DatasetTooFewClasses = new("dataset-too-few-classes", 1, "give at least two classes");

    /// <summary><c>dataset-class-too-small</c>.</summary>
    public static readonly ZooError DatasetClassTooSmall = new("dataset-class-too-small", 1, "add images to the small class or remove it");

    /// <summary><c>dataset-bad-csv</c>.</summary>
    public static readonly ZooError DatasetBadCsv = new("dataset-bad-csv", 1, "fix the CSV's path,label rows");

    /// <summary><c>dataset-name-not-utf8</c>.</summary>
    public static readonly ZooError DatasetNameNotUtf8 = new("dataset-name-not-utf8", 1, "rename the file or folder with a UTF-8 name");

    /// <summary><c>image-changed</c>.</summary>
    public static readonly ZooError ImageChanged = new("image-changed", 1, "leave the training images unchanged while training runs");

    /// <summary><c>features-not-finite</c>.</summary>
    public static readonly ZooError FeaturesNotFinite = new("features-not-finite", 1, "check the base model and the images");

    /// <summary><c>export-input-unsupported</c>.</summary>
    public static readonly ZooError ExportInputUnsupported = new("export-input-unsupported", 1, "train on a base model with one image input");

    /// <summary><c>export-name-clash</c>.</summary>
    public static readonly ZooError ExportNameClash = new("export-name-clash", 1, "rename the clashing tensor in the base model");

    /// <summary><c>export-opset-unsupported</c>.</summary>
    public static readonly ZooError ExportOpsetUnsupported = new("export-opset-unsupported", 1, "re-export the base model with a supported opset");

    /// <summary><c>finetune-external-data</c>.</summary>
    public static readonly ZooError FineTuneExternalData = new("finetune-external-data", 1, "embed the weights in the model file");

    /// <summary><c>finetune-input-shape</c>.</summary>
    public static readonly ZooError FineTuneInputShape = new("finetune-input-shape", 1, "unfreeze fewer layers");

    /// <summary><c>finetune-no-gradient</c>.</summary>
    public static readonly ZooError FineTuneNoGradient = new("finetune-no-gradient", 1, "unfreeze layers the features depend on");

    /// <summary><c>finetune-op-unsupported</c>.</summary>
    public static readonly ZooError FineTuneOpUnsupported = new("finetune-op-unsupported", 1, "unfreeze fewer layers");

    /// <summary><c>finetune-weight-type</c>.</summary>
    public static readonly ZooError FineTuneWeightType = new("finetune-weight-type", 1, "fine-tune a float32 model");

    /// <summary><c>detection-labels-invalid</c>.</summary>
    public static readonly ZooError DetectionLabelsInvalid = new("detection-labels-invalid", 1, "fix the dataset's COCO JSON or YOLO label files");

    // Batch
    /// <summary><c>batch-output-failed</c>.</summary>
    public static readonly ZooError BatchOutputFailed = new("batch-output-failed", 1, "free disk space or write the results elsewhere");

    /// <summary><c>batch-job-mismatch</c>.</summary>
    public static readonly ZooError BatchJobMismatch = new("batch-job-mismatch", 1, "use a new job name or the job's own model and task");

    /// <summary><c>batch-job-unknown</c>.</summary>
    public static readonly ZooError BatchJobUnknown = new("batch-job-unknown", 1, "submit the job first");

    /// <summary><c>batch-message-invalid</c>.</summary>
    public static readonly ZooError BatchMessageInvalid = new("batch-message-invalid", 1, "submit the job with the same version of the tool");

    /// <summary><c>batch-output-missing</c>.</summary>
    public static readonly ZooError BatchOutputMissing = new("batch-output-missing", 1, "check the results folder");

    /// <summary><c>broker-lost</c>.</summary>
    public static readonly ZooError BrokerLost = new("broker-lost", 1, "restart the worker when the broker is back");

    /// <summary><c>broker-unreachable</c>.</summary>
    public static readonly ZooError BrokerUnreachable = new("broker-unreachable", 1, "check the broker address and that it runs");

    // Super-resolution
    /// <summary><c>upscale-input</c>.</summary>
    public static readonly ZooError UpscaleInput = new("upscale-input", 1, "choose a super-resolution model with NHWC RGB input");

    /// <summary><c>upscale-model-output</c>.</summary>
    public static readonly ZooError UpscaleModelOutput = new("upscale-model-output", 1, "use a super-resolution model with one fixed scale and NHWC RGB output");

    // Server: a server answers these with the entry's HTTP status.
    /// <summary><c>adapter-result-count</c>.</summary>
    public static readonly ZooError AdapterResultCount = new("adapter-result-count", 1, "fix the task's server adapter");

    /// <summary><c>adapter-result-type</c> (HTTP 500).</summary>
    public static readonly ZooError AdapterResultType = new("adapter-result-type", 1, "register the built-in adapter for the model's task", 500);

    /// <summary><c>bad-body</c> (HTTP 400).</summary>
    public static readonly ZooError BadBody = new("bad-body", 1, "resend the request with a well-formed body", 400);

    /// <summary><c>bad-form</c> (HTTP 400).</summary>
    public static readonly ZooError BadForm = new("bad-form", 1, "send one image in a multipart field named 'file'", 400);

    /// <summary><c>bad-parameter</c> (HTTP 400).</summary>
    public static readonly ZooError BadParameter = new("bad-parameter", 1, "fix the query parameter", 400);

    /// <summary><c>body-timeout</c> (HTTP 408).</summary>
    public static readonly ZooError BodyTimeout = new("body-timeout", 1, "send the whole body promptly", 408);

    /// <summary><c>body-too-large</c> (HTTP 413).</summary>
    public static readonly ZooError BodyTooLarge = new("body-too-large", 1, "send a smaller image or raise ZooServerOptions.MaxRequestBytes", 413);

    /// <summary><c>decode-busy</c> (HTTP 503).</summary>
    public static readonly ZooError DecodeBusy = new("decode-busy", 1, "retry after the Retry-After delay", 503);

    /// <summary><c>decode-over-budget</c> (HTTP 503).</summary>
    public static readonly ZooError DecodeOverBudget = new("decode-over-budget", 1, "send a smaller image", 503);

    /// <summary><c>empty-body</c> (HTTP 400).</summary>
    public static readonly ZooError EmptyBody = new("empty-body", 1, "send the image bytes or a multipart form", 400);

    /// <summary><c>internal</c> (HTTP 500).</summary>
    public static readonly ZooError Internal = new("internal", 1, "check the server log", 500);

    /// <summary><c>invalid-handle</c> (HTTP 400).</summary>
    public static readonly ZooError InvalidHandle = new("invalid-handle", 1, "name a catalog handle listed by GET /v1/models", 400);

    /// <summary><c>model-load-failed</c> (HTTP 503).</summary>
    public static readonly ZooError ModelLoadFailed = new("model-load-failed", 1, "check the server log and the model store", 503);

    /// <summary><c>model-loading</c> (HTTP 503).</summary>
    public static readonly ZooError ModelLoading = new("model-loading", 1, "retry after the Retry-After delay", 503);

    /// <summary><c>model-not-allowed</c> (HTTP 403).</summary>
    public static readonly ZooError ModelNotAllowed = new("model-not-allowed", 1, "use a configured model or set ZooServerOptions.AllowPull", 403);

    /// <summary><c>model-not-servable</c> (HTTP 400).</summary>
    public static readonly ZooError ModelNotServable = new("model-not-servable", 1, "serve a model of a task this server has an adapter for", 400);

    /// <summary><c>model-over-budget</c> (HTTP 507).</summary>
    public static readonly ZooError ModelOverBudget = new("model-over-budget", 1, "raise ZooServerOptions.MemoryBudgetBytes", 507);

    /// <summary><c>no-file</c> (HTTP 400).</summary>
    public static readonly ZooError NoFile = new("no-file", 1, "send the image in a multipart field named 'file'", 400);

    /// <summary><c>no-labels-model</c> (HTTP 400).</summary>
    public static readonly ZooError NoLabelsModel = new("no-labels-model", 1, "set ZooServerOptions.LabelsModel", 400);

    /// <summary><c>no-objects-model</c> (HTTP 400).</summary>
    public static readonly ZooError NoObjectsModel = new("no-objects-model", 1, "set ZooServerOptions.ObjectsModel", 400);

    /// <summary><c>no-text-model</c> (HTTP 400).</summary>
    public static readonly ZooError NoTextModel = new("no-text-model", 1, "set ZooServerOptions.TextModel", 400);

    /// <summary><c>not-found</c> (HTTP 404).</summary>
    public static readonly ZooError NotFound = new("not-found", 1, "check the request path", 404);

    /// <summary><c>queue-full</c> (HTTP 429).</summary>
    public static readonly ZooError QueueFull = new("queue-full", 1, "retry after the Retry-After delay or raise ZooServerOptions.QueueCapacity", 429);

    /// <summary><c>timeout</c> (HTTP 504).</summary>
    public static readonly ZooError RequestTimeout = new("timeout", 1, "retry later or raise ZooServerOptions.RequestTimeout", 504);

    /// <summary><c>shutting-down</c> (HTTP 503).</summary>
    public static readonly ZooError ShuttingDown = new("shutting-down", 1, "retry the request", 503);

    /// <summary><c>unauthorized</c> (HTTP 401).</summary>
    public static readonly ZooError Unauthorized = new("unauthorized", 1, "send the server's API key", 401);

    /// <summary><c>v2-bad-request</c> (HTTP 400).</summary>
    public static readonly ZooError V2BadRequest = new("v2-bad-request", 1, "fix the inference request", 400);

    /// <summary><c>v2-datatype-unsupported</c> (HTTP 400).</summary>
    public static readonly ZooError V2DatatypeUnsupported = new("v2-datatype-unsupported", 1, "send a supported tensor datatype", 400);

    /// <summary><c>v2-model-not-found</c> (HTTP 404).</summary>
    public static readonly ZooError V2ModelNotFound = new("v2-model-not-found", 1, "list the models with POST /v2/repository/index", 404);

    /// <summary><c>v2-version-not-found</c> (HTTP 404).</summary>
    public static readonly ZooError V2VersionNotFound = new("v2-version-not-found", 1, "leave the version out or ask for the model's version", 404);

    /// <summary><c>wrong-task-model</c> (HTTP 400).</summary>
    public static readonly ZooError WrongTaskModel = new("wrong-task-model", 1, "configure a model of the task the API needs", 400);

    private static readonly Lazy<IReadOnlyDictionary<string, ZooError>> ByCode = new(() => typeof(ZooErrors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(ZooError))
        .Select(f => (ZooError)f.GetValue(null)!)
        .ToDictionary(e => e.Code, StringComparer.Ordinal));

    /// <summary>Every entry, by code.</summary>
    public static IReadOnlyDictionary<string, ZooError> All => ByCode.Value;

    /// <summary>The entry for <paramref name="code"/>, or null for a code this catalogue does not list.</summary>
    public static ZooError? Find(string code) => ByCode.Value.GetValueOrDefault(code);
}
