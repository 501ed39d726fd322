namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo card new</c>: writes the card of a local model file into the user catalog.</summary>
public sealed class CardNewCommand(ZooContext context) : Command<CardNewCommand.Settings>
{
    /// <summary>Options of <c>zoo card new</c>.</summary>
    public sealed class Settings : ModelDescriptionSettings
    {
        /// <summary>The model file.</summary>
        [CommandArgument(0, "<FILE>"), Description("The model file: an .onnx file or a TFJS model.json (its weight files beside it).")]
        public string File { get; init; } = "";

        /// <summary>The card's handle.</summary>
        [CommandOption("--handle <HANDLE>"), Description("Handle to register (default local/FILE-NAME).")]
        public string? Handle { get; init; }

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
        var named = settings.NamedTask();
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
        if (settings.DescribesGraph || LocalModelCards.CatalogTwin(context.Catalog, settings.File, task) is not { } twin)
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
        var options = settings.DescriptionOptions() with { Handle = settings.Handle };
        var (card, assumed) = LocalModelCards.Infer(settings.File, task, options, context.Settings);
        foreach (var note in assumed)
        {
            context.Status.MarkupLine($"[grey]assumed:[/] {Markup.Escape(note)}");
        }
        return card;
    }
}
