namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo card new</c>: writes the card of a local model file into the user catalog.</summary>
public sealed class CardNewCommand(ZooContext context) : Command<CardNewCommand.Settings>
{
    /// <summary>Options of <c>zoo card new</c>.</summary>
    public sealed class Settings : ZooCommandSettings
    {
        /// <summary>The model file.</summary>
        [CommandArgument(0, "<FILE>"), Description("The model file: an .onnx file or a TFJS model.json (its weight files beside it).")]
        public string File { get; init; } = "";

        /// <summary>What the model does.</summary>
        [CommandOption("-t|--task <TASK>"), Description("Needed unless the file says it (zoo train and zoo quantize write files that do): image-classification, image-feature-vector, object-detection, pose-estimation, face-detection or image-segmentation.")]
        public string? Task { get; init; }

        /// <summary>The card's handle.</summary>
        [CommandOption("--handle <HANDLE>"), Description("Handle to register (default local/FILE-NAME).")]
        public string? Handle { get; init; }

        /// <summary>Licence of the weights.</summary>
        [CommandOption("--license <SPDX>"), Description("SPDX licence of the weights (default NOASSERTION).")]
        public string? License { get; init; }

        /// <summary>Class names.</summary>
        [CommandOption("--labels <FILE>"), Description("Class names, one per line (or builtin:NAME, e.g. builtin:coco80).")]
        public string? Labels { get; init; }

        /// <summary>Normalisation mean.</summary>
        [CommandOption("--mean <VALUES>"), Description("Per-channel mean after scaling pixels to [[0,1]], e.g. 0.485,0.456,0.406.")]
        public string? Mean { get; init; }

        /// <summary>Normalisation standard deviation.</summary>
        [CommandOption("--std <VALUES>"), Description("Per-channel standard deviation, e.g. 0.229,0.224,0.225.")]
        public string? Std { get; init; }

        /// <summary>Input size.</summary>
        [CommandOption("--size <N>"), Description("Input size N or WxH, when the graph does not fix it.")]
        public string? Size { get; init; }

        /// <summary>Output decoder.</summary>
        [CommandOption("--decoder <NAME>"), Description("How to read the outputs (detection, pose, face and segmentation models).")]
        public string? Decoder { get; init; }

        /// <summary>Replace an existing user card.</summary>
        [CommandOption("--force"), Description("Replace a user card with the same handle.")]
        public bool Force { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() => OptionRules.FirstError(base.Validate,
            (string.IsNullOrWhiteSpace(File), "give the model file (.onnx or model.json)."));
    }

    /// <inheritdoc />
    public override int Execute(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Handle is { } handle && !ModelZoo.Catalog.ModelCardValidator.IsValidHandle(handle))
        {
            throw new ZooUsageException($"'{handle}' is not a handle; use 2 to 4 lower-case segments separated by '/', e.g. local/my-model.");
        }
        var named = settings.Task is { } taskName ? Formatting.ParseTask(taskName) : (ModelZoo.Catalog.ModelTask?)null;
        var card = Described(settings, named) ?? Inferred(settings, named);
        var task = card.Task;
        var path = context.Catalog.Register(card, context.Settings, settings.Force);
        context.ReloadCatalog();
        // A catalog card registered for its own file may be one without an image input (a text model).
        var shape = card.Input is { } input ? $", {input.Layout.ToString().ToUpperInvariant()} {input.Width}x{input.Height} {input.ElementType}" : "";
        context.Console.MarkupLine($"registered [bold]{Markup.Escape(card.Handle)}[/] ({Formatting.TaskName(task)}{shape})");
        context.Console.MarkupLine($"[grey]card:[/] {Markup.Escape(path)}");
        context.Console.MarkupLine($"[grey]next:[/] zoo info {Markup.Escape(card.Handle)}");
        return 0;
    }

    /// <summary>The card of a file that is a catalog model's own file, under the new handle, when no flag describes it.</summary>
    private ModelZoo.Catalog.ModelCard? Described(Settings settings, ModelZoo.Catalog.ModelTask? task)
    {
        var flags = settings.Labels ?? settings.Mean ?? settings.Std ?? settings.Size ?? settings.Decoder;
        if (flags is not null || LocalModelCards.CatalogTwin(context.Catalog, settings.File, task) is not { } twin)
        {
            return null;
        }
        var full = Path.GetFullPath(settings.File);
        context.Status.MarkupLine($"[grey]known model:[/] {Markup.Escape(settings.File)} is the file of {Markup.Escape(twin.Handle)} (same SHA-256); registered with its card");
        return twin with
        {
            Handle = settings.Handle ?? LocalModelCards.HandleFor(full),
            Description = $"Local copy of {twin.Handle}: {full}.",
            License = settings.License is { } spdx ? new ModelZoo.Catalog.LicenseInfo { Spdx = spdx } : twin.License,
            Tags = [.. twin.Tags.Where(t => t != "local"), "local"],
        };
    }

    /// <summary>The card inferred from the graph, what the file says of itself and the flags.</summary>
    private ModelZoo.Catalog.ModelCard Inferred(Settings settings, ModelZoo.Catalog.ModelTask? named)
    {
        // A file the zoo wrote names its own task; any other file needs --task.
        var task = named ?? LocalModelCards.DescribedTask(settings.File) ?? throw new ZooUsageException(
            "give what the model does with --task, e.g. --task image-classification (only files the zoo wrote, or a catalog model's own file, say it themselves).");
        var options = LocalModelCards.FromFlags(settings.Labels, settings.Mean, settings.Std, settings.Size, settings.Decoder) with
        {
            Handle = settings.Handle,
            License = settings.License,
        };
        var (card, assumed) = LocalModelCards.Infer(settings.File, task, options, context.Settings);
        foreach (var note in assumed)
        {
            context.Status.MarkupLine($"[grey]assumed:[/] {Markup.Escape(note)}");
        }
        return card;
    }
}
