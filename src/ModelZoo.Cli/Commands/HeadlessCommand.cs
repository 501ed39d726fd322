using ModelZoo.Onnx;

namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo headless</c>: writes a classifier without its head, returning pooled feature vectors.</summary>
public sealed class HeadlessCommand(ZooContext context) : AsyncCommand<HeadlessCommand.Settings>
{
    /// <summary>Options of <c>zoo headless</c>.</summary>
    public sealed class Settings : ZooCommandSettings
    {
        /// <summary>Catalog handle or .onnx file.</summary>
        [CommandArgument(0, "<MODEL>"), Description("A catalog handle (see `zoo list`) or the path of an .onnx file.")]
        public string Model { get; init; } = "";

        /// <summary>Where to write the headless model.</summary>
        [CommandOption("-o|--out <FILE>"), Description("The .onnx file to write (replaced atomically).")]
        public string? Out { get; init; }

        /// <summary>Tensor to cut at instead of the detected pooled features.</summary>
        [CommandOption("--at <TENSOR>"), Description("Cut at this tensor instead of the detected pooled features.")]
        public string? At { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() => OptionRules.FirstError(base.Validate,
            (string.IsNullOrWhiteSpace(Model), "give a catalog handle or an .onnx file to cut."),
            (string.IsNullOrWhiteSpace(Out), "give the file to write with --out FILE.onnx."),
            (At is not null && At.Length == 0, "--at needs a tensor name."));
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var (model, source, card) = IsFile(settings.Model)
            ? await LoadFileAsync(settings.Model, cancellationToken).ConfigureAwait(false)
            : await LoadCatalogModelAsync(context.Catalog.Get(settings.Model), cancellationToken).ConfigureAwait(false);
        var headless = card is null ? HeadlessCutter.Cut(model, settings.At) : HeadlessCutter.Cut(model, card, settings.At);
        var output = Path.GetFullPath(settings.Out!);
        var own = EmbeddedModelDescription.Read(model.Metadata);
        Describe(headless, card?.Input ?? own.Input, card?.License ?? own.License);
        SaveLoadable(headless.Model, output, source);

        var console = context.Console;
        var how = headless.Source switch
        {
            CutPointSource.Card => "declared by the card",
            CutPointSource.Requested => "given with --at",
            _ => "detected from the graph",
        };
        console.MarkupLine($"cut [bold]{Markup.Escape(source)}[/] at [bold]{Markup.Escape(headless.FeatureTensor)}[/] ({how})");
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"output [bold]{headless.OutputName}[/]: float32 [[batch, {headless.FeatureSize}]]"));
        console.MarkupLine($"wrote [bold]{Markup.Escape(output)}[/]");
        return 0;
    }

    /// <summary>Says in the cut's metadata that it gives feature vectors of the input the source's card (or the source
    /// file's own description) describes, so that `zoo embed cut.onnx` preprocesses as that card does; a source that
    /// describes nothing leaves the cut undescribed, and a model-file card then says what it assumes.</summary>
    private static void Describe(HeadlessModel headless, InputSpec? sourceInput, LicenseInfo? license)
    {
        if (sourceInput is null)
        {
            // The licence, where the source said it, still holds for the cut.
            foreach (var key in new[] { ModelMetadataKeys.Task, ModelMetadataKeys.Input, ModelMetadataKeys.Output, ModelMetadataKeys.Labels, ModelMetadataKeys.LabelOffset })
            {
                headless.Model.Metadata.Remove(key);
            }
            return;
        }
        // Any preprocessing graph was joined in front of the cut, which now takes the tensor the card describes.
        var input = sourceInput with { Name = headless.Model.Inputs[0].Name, PreprocessGraph = null };
        var output = new OutputSpec { Name = headless.OutputName, Kind = OutputKind.Features, Size = headless.FeatureSize };
        EmbeddedModelDescription.Write(headless.Model.Metadata, ModelTask.ImageFeatureVector, input, output, null, license: license);
    }

    /// <summary>Writes the model beside <paramref name="output"/>, opens it in ONNX Runtime (which resolves unknown ops,
    /// unknown domains and type errors as the later user of the file would), and only then moves it into place.</summary>
    private static void SaveLoadable(OnnxModel model, string output, string source)
    {
        var temp = output + "." + Guid.NewGuid().ToString("N")[..8] + ".check.tmp";
        try
        {
            model.Save(temp);
            try
            {
                using var session = ModelSession.Open(temp, new SessionSettings { Optimization = GraphOptimization.None, IntraOpThreads = 1 });
            }
            catch (ModelLoadException ex)
            {
                var reason = Reason(ex.InnerException?.Message ?? ex.Message).Replace(temp, output, StringComparison.Ordinal);
                throw ZooErrors.HeadlessInvalidGraph.Raise(
                    $"The headless cut of '{source}' does not load in ONNX Runtime ({reason}), so nothing was written; check that the source model runs, or re-export it.", ex);
            }
            File.Move(temp, output, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>ONNX Runtime's message without its error-code and file prefix, on one line and at most a few hundred characters.</summary>
    private static string Reason(string message)
    {
        var text = message.ReplaceLineEndings(" ").Trim();
        if (text.StartsWith("[ErrorCode:", StringComparison.Ordinal) && text.IndexOf(']', StringComparison.Ordinal) is var close and > 0)
        {
            text = text[(close + 1)..].Trim();
        }
        if (text.StartsWith("Load model from ", StringComparison.Ordinal) && text.IndexOf(" failed:", StringComparison.Ordinal) is var failed and > 0)
        {
            text = text[(failed + " failed:".Length)..].Trim();
        }
        return (text.Length > 300 ? text[..300] + "…" : text).TrimEnd('.');
    }

    /// <summary>A path when it names an existing file or ends in .onnx; otherwise a catalog handle.</summary>
    private static bool IsFile(string model) =>
        File.Exists(model) || model.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);

    /// <summary>A model file: as the catalog card it is the file of (<see cref="LocalModelCards.CatalogTwin"/>), so that
    /// it is cut where that card says and carries its preprocessing, else the bare graph.</summary>
    private async Task<(OnnxModel, string, ModelCard?)> LoadFileAsync(string path, CancellationToken ct)
    {
        var full = LocalModelCards.RequireFile(path);
        if (LocalModelCards.CatalogTwin(context.Catalog, full, null) is { Format: ModelFormat.Onnx } twin)
        {
            context.Status.MarkupLine($"[grey]known model:[/] {Markup.Escape(path)} is the file of {Markup.Escape(twin.Handle)} (same SHA-256); it is cut as that card says");
            var (model, _, card) = await LoadCatalogModelAsync(twin, ct).ConfigureAwait(false);
            return (model, Path.GetFileName(path), card);
        }
        return (OnnxModel.Load(full), Path.GetFileName(path), null);
    }

    /// <summary>The card's model file, pulled if needed, with the card's preprocessing graph joined in front so that
    /// the headless model takes the tensor the card's input spec describes (as `zoo embed` does).</summary>
    private async Task<(OnnxModel, string, ModelCard?)> LoadCatalogModelAsync(ModelCard card, CancellationToken ct)
    {
        if (card.Format != ModelFormat.Onnx)
        {
            throw new ZooUsageException(
                $"'{card.Handle}' is a {card.Format.ToString().ToLowerInvariant()} model; headless cuts work on ONNX models, pick one with `zoo list`.");
        }
        var local = (await PullProgressDisplay.PullAsync(context, [card], ct).ConfigureAwait(false))[0];
        var model = OnnxModel.Load(local.ModelPath);
        if (card.Input?.PreprocessGraph is { } preprocess)
        {
            model = GraphComposer.Prepend(OnnxModel.Load(local.PathOf(preprocess)), model, card.Input.Name);
        }
        return (model, card.Handle, card);
    }
}
