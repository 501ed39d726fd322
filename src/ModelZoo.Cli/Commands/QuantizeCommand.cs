using ModelZoo.Imaging;
using ModelZoo.Import;
using ModelZoo.Onnx;
using ModelZoo.Quantization;

namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo quantize</c>: static int8 quantization of an image model, calibrated on the user's images and
/// registered as a card of its own.</summary>
public sealed class QuantizeCommand(ZooContext context) : AsyncCommand<QuantizeCommand.Settings>
{
    /// <summary>Options of <c>zoo quantize</c>.</summary>
    public sealed class Settings : RuntimeSettings
    {
        /// <summary>Catalog handle of the float model, or the path of an .onnx file a registered card points to.</summary>
        [CommandArgument(0, "<MODEL>"), Description("A catalog handle (see `zoo list`), or an .onnx file that a registered card points to.")]
        public string Model { get; init; } = "";

        /// <summary>Folder of calibration images.</summary>
        [CommandOption("--calibration <DIR>"), Description("Folder of images like the ones the model will see (20–200 is typical).")]
        public string? Calibration { get; init; }

        /// <summary>Handle to register the int8 model under.</summary>
        [CommandOption("--name <HANDLE>"), Description("Handle to register the int8 model under (default local/<base>_int8).")]
        public string? Name { get; init; }

        /// <summary>Calibration method.</summary>
        [CommandOption("--method <METHOD>"), Description("minmax (default), entropy (KL-divergence over activation histograms) or percentile."), DefaultValue("minmax"), TypeConverter(typeof(ChoiceConverter<CalibrationMethod>))]
        public CalibrationMethod Method { get; init; }

        /// <summary>Percentile for --method percentile.</summary>
        [CommandOption("--percentile <P>"), Description("Percentile kept by --method percentile (default 99.99)."), DefaultValue(99.99)]
        public double Percentile { get; init; } = 99.99;

        /// <summary>Most calibration images to use.</summary>
        [CommandOption("--max-images <N>"), Description("Use at most N calibration images, spread evenly over the folder's name order (default 200)."), DefaultValue(200)]
        public int MaxImages { get; init; } = 200;

        /// <summary>How many of the last Conv/Gemm/MatMul nodes stay in float.</summary>
        [CommandOption("--float-tail <N>"), Description("Keep the last N Conv/Gemm/MatMul nodes and all after them in float (default 0; 2 is ResNet-18's last block)."), DefaultValue(0)]
        public int FloatTail { get; init; }

        /// <summary>Quantize the classifier head too.</summary>
        [CommandOption("--quantize-head"), Description("Also quantize the last Gemm/MatMul before the output (kept in float by default).")]
        public bool QuantizeHead { get; init; }

        /// <summary>Agreement below which nothing is registered.</summary>
        [CommandOption("--min-agreement <X>"), Description("Refuse the result below this agreement with fp32 (default: mean cosine 0.98; top-1 0.95 for classifiers).")]
        public double? MinAgreement { get; init; }

        /// <summary>Replace an existing user card of the same handle.</summary>
        [CommandOption("--force"), Description("Replace an existing user card with the same handle.")]
        public bool Force { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() => OptionRules.FirstError(base.Validate,
            (string.IsNullOrWhiteSpace(Model), "give a catalog handle or an .onnx file to quantize."),
            (string.IsNullOrWhiteSpace(Calibration), "give a folder of calibration images with --calibration DIR."),
            (FloatTail < 0, "--float-tail must be 0 or more."),
            (MaxImages < 1, "--max-images must be at least 1."));
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var baseCard = ResolveCard(settings.Model);
        var name = TargetHandle(baseCard, settings);
        var spec = baseCard.Input ?? throw ZooErrors.CardInputMissing.Raise(
            $"the card of '{baseCard.Handle}' has no input spec, so calibration images cannot be preprocessed for it; add an 'input' section to the card.");

        StaticQuantizer.RequireFixedInput(baseCard, spec);
        var calibrationDir = Path.GetFullPath(settings.Calibration!);
        if (!Directory.Exists(calibrationDir))
        {
            throw new ZooUsageException($"the calibration folder '{calibrationDir}' does not exist; give a folder of images with --calibration DIR.");
        }
        var images = new List<RgbImage>();
        try
        {
            var used = LoadCalibrationImages(calibrationDir, spec, settings.MaxImages, images);

            var local = (await PullProgressDisplay.PullAsync(context, [baseCard], cancellationToken).ConfigureAwait(false))[0];
            var model = OnnxModel.Load(ImportedModelCache.RunnableModelPath(local));
            var preprocess = spec.PreprocessGraph is { } graphName ? OnnxModel.Load(local.PathOf(graphName)) : null;
            var options = new QuantizationOptions
            {
                Method = settings.Method,
                Percentile = settings.Percentile,
                FloatTail = settings.FloatTail,
                QuantizeHead = settings.QuantizeHead,
                MinimumAgreement = settings.MinAgreement,
            };
            var result = StaticQuantizer.Quantize(model, preprocess, baseCard, images, options, settings.Session());
            var agreement = result.Agreement;
            var measured = string.Create(CultureInfo.InvariantCulture, $"{agreement.Metric} {agreement.Value:F4} ({Detail(agreement)}) on {agreement.Images} calibration images");
            if (!agreement.Passes)
            {
                // Where int8 strays from fp32 first says more than the figure: a node to keep in float, or a range to fix.
                var worst = result.DescribeWorstNodes() is { } nodes ? $" int8 strays from fp32 most at {nodes}." : "";
                throw ZooErrors.QuantizeAgreement.Raise(string.Create(CultureInfo.InvariantCulture,
                    $"the int8 model's agreement with fp32 is {measured}, below the threshold {agreement.Threshold}; nothing was registered.{worst} Try another --method (minmax, entropy, percentile), more varied calibration images, or a longer --float-tail."));
            }

            var method = options.MethodName;
            var card = QuantizedCard.Write(baseCard, local, result, name, method, QuantizedCard.CalibrationHash(calibrationDir, used.Order(StringComparer.Ordinal)), used.Count,
                Path.Combine(context.Settings.Home, "quantized", name.Replace('/', '+')));
            context.Store.Remove(card);
            var cardPath = context.Catalog.Register(card, context.Settings, overwrite: settings.Force);
            WriteSummary(baseCard, card, method, result, measured, cardPath);
            return 0;
        }
        finally
        {
            foreach (var image in images)
            {
                image.Dispose();
            }
        }
    }

    /// <summary>The handle the int8 model is registered under, refused when it would replace a built-in or (without
    /// --force) a registered card.</summary>
    private string TargetHandle(ModelCard baseCard, Settings settings)
    {
        var name = settings.Name ?? "local/" + string.Join("_", baseCard.Handle.Split('/').Skip(1)) + "_int8";
        ModelCatalog.FileNameOf(name);
        if (context.Catalog.IsBuiltin(name))
        {
            throw new ZooUsageException($"'{name}' is a built-in model handle; pass another --name, e.g. local/{name.Split('/')[^1]}.");
        }
        if (!settings.Force && context.Catalog.TryGet(name, out _))
        {
            throw new ZooUsageException($"'{name}' is already registered; pass another --name, or --force to replace it.");
        }
        return name;
    }

    /// <summary>Decodes up to <paramref name="maxImages"/> calibration images into <paramref name="images"/> (the caller
    /// disposes them, also on failure) and returns the paths used.</summary>
    private List<string> LoadCalibrationImages(string calibrationDir, InputSpec spec, int maxImages, List<RgbImage> images)
    {
        var all = ImagePaths.Expand([calibrationDir]).Order(StringComparer.Ordinal).ToList();
        // Evenly spread over the name order when there are more than --max-images: a folder of class folders then
        // gives every class its share instead of the first classes all of it. Undecodable files are skipped below.
        var paths = all.Count <= maxImages ? all
            : Enumerable.Range(0, maxImages).Select(k => all[(int)((long)k * all.Count / maxImages)])
                .Concat(all).Distinct(StringComparer.Ordinal).ToList();
        var used = new List<string>();
        foreach (var path in paths)
        {
            if (images.Count >= maxImages)
            {
                break;
            }
            try
            {
                // Keep only the model-sized image: a folder of large photos would not fit in memory at full size. A JPEG
                // is decoded as the image verbs decode it, at the smallest DCT scale the card's resize still shrinks.
                using var decoded = ImageDecoder.DecodeScaled(path, null, ImagePreprocessor.DecodeScale(spec)).Image;
                images.Add(ImagePreprocessor.Resize(decoded, spec, out _));
                used.Add(path);
            }
            catch (ImageDecodeException ex)
            {
                context.Console.MarkupLine($"[yellow]skipped[/] {Markup.Escape(ex.Message)}");
            }
        }
        if (images.Count == 0)
        {
            throw new ZooUsageException($"no decodable images in '{calibrationDir}'; give a folder of JPEG/PNG photos with --calibration DIR.");
        }
        return used;
    }

    /// <summary>The figure behind the agreement, named for what <see cref="QuantizationAgreement.Minimum"/> holds for its metric.</summary>
    private static string Detail(QuantizationAgreement agreement) => agreement.Metric switch
    {
        "top1" => string.Create(CultureInfo.InvariantCulture, $"mean cosine {agreement.Minimum:F4}"),
        "detection-f1" => string.Create(CultureInfo.InvariantCulture, $"mean IoU of the matched boxes {agreement.Minimum:F4}"),
        "cosine" => string.Create(CultureInfo.InvariantCulture, $"min cosine {agreement.Minimum:F4}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"mean keypoint distance {agreement.Minimum:F1} px"),
    };

    /// <summary>The float model's size: a TFJS card's graph file is small beside its weight shards.</summary>
    private static long Fp32Bytes(ModelCard card)
    {
        var bytes = card.Files.Where(f => f.Role is "model" or "weights").Sum(f => f.Size);
        return bytes > 0 ? bytes : card.ModelFile.Size;
    }

    private void WriteSummary(ModelCard baseCard, ModelCard card, string method, QuantizedModel result, string measured, string cardPath)
    {
        var console = context.Console;
        console.MarkupLine($"quantized [bold]{Markup.Escape(baseCard.Handle)}[/] → [bold]{Markup.Escape(card.Handle)}[/] ({method})");
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.QuantizedTensors} activations and {result.QuantizedWeights} weight tensors in int8; float: {(result.FloatNodes.Count == 0 ? "none" : Markup.Escape(string.Join(", ", result.FloatNodes)))}"));
        console.MarkupLine($"agreement with fp32: {Markup.Escape(measured)}, threshold {result.Agreement.Threshold.ToString(CultureInfo.InvariantCulture)}");
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"model {card.ModelFile.Size / 1e6:F1} MB (fp32 {Fp32Bytes(baseCard) / 1e6:F1} MB), sha256 {card.ModelFile.Sha256}"));
        // The file alone runs too (it carries its input spec, decoder and labels where it can): say where it is.
        console.MarkupLine($"file [bold]{Markup.Escape(card.ModelFile.Source["file:".Length..])}[/]");
        console.MarkupLine($"registered [bold]{Markup.Escape(cardPath)}[/]");
    }

    private ModelCard ResolveCard(string model)
    {
        if (!(File.Exists(model) || model.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)))
        {
            return context.Catalog.Get(model);
        }
        // A file gets the preprocessing of the registered card that points to it, else the one it carries itself.
        var full = Path.GetFullPath(model);
        var registered = context.Catalog.Cards.FirstOrDefault(c => c.ModelFile.Source.StartsWith("file:", StringComparison.Ordinal)
            && string.Equals(Path.GetFullPath(c.ModelFile.Source["file:".Length..]), full, StringComparison.Ordinal));
        if (registered is not null)
        {
            return registered;
        }
        LocalModelCards.RequireFile(model);
        return LocalModelCards.DescribedTask(full) is { } task
            ? LocalModelCards.Resolve(context, full, task, null)
            : throw new ZooUsageException(
                $"no registered card points to '{full}' and the file does not carry its own input spec (files written by `zoo train` do), so its input preprocessing is unknown; give the handle of a card instead, or register one with `zoo card new`.");
    }
}
