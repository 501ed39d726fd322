using System.Security.Cryptography;
using System.Text.Json;
using ModelZoo.Import;
using ModelZoo.Onnx;

namespace ModelZoo.Cli.Infrastructure;

/// <summary>
/// Model cards for model files on disk (an <c>.onnx</c> file or a TFJS <c>model.json</c>): the input name, layout,
/// size and element type are read from the graph; what a graph cannot say (labels, normalisation, the decoder) comes
/// from <see cref="LocalCardOptions"/> or a stated default. The card's files have <c>file:</c> sources, so the store
/// copies and verifies them like any other download, and the card can be saved to the user catalog as is.
/// </summary>
public static class LocalModelCards
{
    /// <summary>ImageNet statistics: what most exported NCHW vision models were trained with.</summary>
    private static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    /// <summary>Whether <paramref name="argument"/> names a model file rather than a catalog handle: an existing
    /// file, or any path ending in .onnx or .json.</summary>
    public static bool IsModelFile(string argument) =>
        File.Exists(argument)
        || argument.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)
        || argument.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The card a command runs: the catalog's for a handle, else the one inferred from the model file
    /// <paramref name="model"/> names, with the defaults it assumed noted on the status console.</summary>
    public static ModelCard Resolve(ZooContext context, string model, ModelTask task, LocalCardOptions? options)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!IsModelFile(model))
        {
            if (options is not null)
            {
                throw new ZooUsageException($"--labels, --mean, --std, --size and --decoder describe a model file; the card of '{model}' already says them (see `zoo info {model}`).");
            }
            return context.Catalog.Get(model);
        }
        return options is null && CatalogTwin(context.Catalog, model, task) is { } twin
            ? Known(context, model, twin)
            : Inferred(context, model, task, options ?? new LocalCardOptions());
    }

    /// <summary>A catalog model's own file runs as its card; says so on the status console.</summary>
    private static ModelCard Known(ZooContext context, string model, ModelCard twin)
    {
        context.Status.MarkupLine($"[grey]known model:[/] {Markup.Escape(model)} is the file of {Markup.Escape(twin.Handle)} (same SHA-256); it runs as that card says");
        return twin;
    }

    /// <summary>The card inferred for a model file, with every default it assumed noted on the status console.</summary>
    private static ModelCard Inferred(ZooContext context, string model, ModelTask task, LocalCardOptions options)
    {
        var (card, assumed) = Infer(model, task, options, context.Settings);
        foreach (var note in assumed)
        {
            context.Status.MarkupLine($"[grey]assumed:[/] {Markup.Escape(note)}");
        }
        return card;
    }

    /// <summary>The card a model file runs as with no flags: its catalog card (<see cref="CatalogTwin"/>), or the one
    /// it describes itself with (<see cref="DescribedTask(string)"/>).</summary>
    /// <param name="context">The zoo the file is run in.</param>
    /// <param name="path">The model file.</param>
    /// <param name="run">How to run such a file instead, for the message when it says nothing of itself, e.g.
    /// "run it with a command and flags (`zoo classify FILE --labels FILE …`)".</param>
    /// <exception cref="ZooUsageException">The file is neither a catalog model's nor self-describing.</exception>
    public static ModelCard RunsAs(ZooContext context, string path, string run)
    {
        ArgumentNullException.ThrowIfNull(context);
        var full = RequireFile(path);
        if (CatalogTwin(context.Catalog, full, null) is { } twin)
        {
            return Known(context, path, twin);
        }
        // Only an .onnx can describe itself, and loading it here reports a damaged file as damaged, not as one that
        // says nothing of itself; a TFJS or TFLite file becomes such an .onnx through its import.
        var onnx = full.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);
        var task = onnx ? DescribedTask(OnnxModel.Load(full)) : null;
        var describe = onnx
            ? $"describe it with `zoo card new {path} --task TASK`"
            : $"translate it into an .onnx that describes itself with `zoo import {(ModelZoo.Import.Tflite.TfliteImporter.IsTflite(full) ? "tflite" : "tfjs")} {path} --task TASK`, or register it with `zoo card new {path} --task TASK`";
        return Inferred(context, path, task ?? throw new ZooUsageException(
            $"'{path}' is neither a catalog model's file nor one that describes itself, so what it does is not known; {run} or {describe}."),
            new LocalCardOptions());
    }

    /// <summary>The full path of the model file <paramref name="path"/> names.</summary>
    /// <exception cref="ZooException">The file does not exist (code <c>model-file-missing</c>).</exception>
    public static string RequireFile(string path)
    {
        var full = Path.GetFullPath(path);
        return File.Exists(full) ? full : throw ZooErrors.ModelFileMissing.Raise(
            $"The model file '{path}' does not exist; check the path, or give a catalog handle from `zoo list`.");
    }

    /// <summary>The class names a <c>--labels</c> value gives: a file's lines, or a built-in set for <c>builtin:NAME</c>.</summary>
    /// <exception cref="ZooUsageException">The file does not exist, or the set is not built in.</exception>
    public static IReadOnlyList<string> LabelNames(string labels) => LabelFile(labels) is { } path
        ? LabelSets.Parse(File.ReadAllText(path))
        : LabelSets.Builtin(labels[LabelSets.BuiltinPrefix.Length..]);

    /// <summary>The full path of a <c>--labels FILE</c>; null for <c>builtin:NAME</c>.</summary>
    private static string? LabelFile(string labels)
    {
        if (labels.StartsWith(LabelSets.BuiltinPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        var full = Path.GetFullPath(labels);
        return File.Exists(full) ? full : throw new ZooUsageException(
            $"the label file '{labels}' does not exist; give a text file with one label per line, or builtin:NAME ({string.Join(", ", LabelSets.BuiltinNames)}).");
    }

    /// <summary>
    /// The catalog card (of <paramref name="task"/>, when given) whose model file is this very file (same size, then same
    /// SHA-256) and whose other files (TFJS weight shards, …) lie beside it under their card names, alike, with those
    /// files as its sources: a model copied out of the cache, or taken from the package the card names, then runs exactly
    /// as its handle does (preprocessing, decoder, labels) instead of with the defaults guessed for an unknown graph.
    /// Null when no card has these files.
    /// </summary>
    public static ModelCard? CatalogTwin(ModelCatalog catalog, string path, ModelTask? task)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return null;
        }
        var candidates = catalog.Cards.Where(c => (task is null || c.Task == task) && c.ModelFile.Size == file.Length).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }
        var sha = FileEntry(file.FullName, "model").Sha256;
        var folder = file.DirectoryName!;
        var twin = candidates.FirstOrDefault(c => SameFile(c.ModelFile, sha)
            && c.Files.Where(f => f != c.ModelFile).All(f => IsBeside(folder, f)));
        if (twin is null)
        {
            return null;
        }
        return twin with
        {
            Files = [.. twin.Files.Select(f => f with
            {
                Source = "file:" + (f.Name == twin.ModelFile.Name ? file.FullName : Path.Combine(folder, f.Name)),
            })],
        };
    }

    private static bool SameFile(ModelFile expected, string sha) => string.Equals(expected.Sha256, sha, StringComparison.OrdinalIgnoreCase);

    private static bool IsBeside(string folder, ModelFile expected)
    {
        var path = Path.Combine(folder, expected.Name);
        return new FileInfo(path) is { Exists: true } found && found.Length == expected.Size && SameFile(expected, FileEntry(path, expected.Role).Sha256);
    }

    /// <summary>The task an .onnx file written by the zoo says it was made for (<see cref="ModelMetadataKeys.Task"/>),
    /// or null when the file is no .onnx, is unreadable, or says nothing that can run without flags (no input spec).</summary>
    public static ModelTask? DescribedTask(string path)
    {
        if (!path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) || !File.Exists(path))
        {
            return null;
        }
        try
        {
            return DescribedTask(OnnxModel.Load(path));
        }
        catch (ZooException)
        {
            return null;
        }
    }

    /// <summary>The task a graph the zoo wrote names, when it also says its input (so it runs without flags).</summary>
    private static ModelTask? DescribedTask(OnnxModel graph) =>
        EmbeddedModelDescription.Read(graph.Metadata) is { Task: { } task, Input: not null } ? task : null;

    /// <summary>Infers the card of the model file <paramref name="path"/> for <paramref name="task"/>; returns it with
    /// a one-line note of every default it assumed (empty when nothing was assumed).</summary>
    /// <exception cref="ZooException">The file is missing, unreadable, or its input is not an image tensor.</exception>
    /// <exception cref="ZooUsageException">An option is invalid for this model.</exception>
    public static (ModelCard Card, IReadOnlyList<string> Assumed) Infer(string path, ModelTask task, LocalCardOptions options, ZooSettings settings)
    {
        ArgumentNullException.ThrowIfNull(options);
        var full = RequireFile(path);
        var tfjs = full.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        var tflite = !tfjs && ModelZoo.Import.Tflite.TfliteImporter.IsTflite(full);
        var files = new List<ModelFile> { FileEntry(full, "model") };
        OnnxModel graph;
        if (tflite)
        {
            graph = OnnxModel.Load(ImportedModelCache.ForStore(settings).GetOrImportTflite(full));
        }
        else if (tfjs)
        {
            files.AddRange(TfjsShards(full).Select(s => FileEntry(s, "weights")));
            // Imported into the store's cache, keyed by the file's hash: running the card later finds it there.
            graph = OnnxModel.Load(ImportedModelCache.ForStore(settings).GetOrImportTfjs(full));
        }
        else
        {
            graph = OnnxModel.Load(full);
        }
        var assumed = new List<string>();
        // A model the zoo wrote carries its card's input and output specs and labels; read them before assuming anything.
        var embedded = EmbeddedModelDescription.Read(graph.Metadata);
        assumed.AddRange(embedded.Unreadable.Select(note => $"nothing from the file's own description: {note}"));
        var input = embedded.Input is { } own ? Override(own, options, path) : InferInput(graph, task, options, assumed, path);
        var labels = options.Labels is null && embedded.Labels is { } names
            ? EmbeddedLabels(names, embedded.LabelOffset, files[0].Sha256, files, settings)
            : InferLabels(graph, task, options, files, assumed, described: embedded.Input is not null);
        var output = options.Decoder is null && embedded.Output is { } described ? described : InferOutput(graph, task, options, assumed);
        var sha = files[0].Sha256;
        var card = new ModelCard
        {
            Handle = options.Handle ?? HandleFor(full),
            Version = sha[..12],
            Title = Path.GetFileName(full),
            Description = $"Local model file {full}.",
            Task = task,
            Format = tflite ? ModelFormat.Tflite : tfjs ? ModelFormat.Tfjs : ModelFormat.Onnx,
            Files = files,
            License = options.License is { } spdx ? new LicenseInfo { Spdx = spdx } : embedded.License ?? new LicenseInfo { Spdx = "NOASSERTION" },
            Input = input,
            Output = output,
            Labels = labels,
            Tags = ["local"],
        };
        var problems = ModelCardValidator.Validate(card);
        if (problems.Count > 0)
        {
            throw new ZooUsageException($"cannot describe '{path}' as a {Formatting.TaskName(task)} model: {string.Join("; ", problems)}.");
        }
        return (card, assumed);
    }

    private static InputSpec InferInput(OnnxModel graph, ModelTask task, LocalCardOptions options, List<string> assumed, string path)
    {
        var inputs = graph.Inputs;
        var image = inputs.FirstOrDefault(i => i.Shape.Count == 4) ?? throw ZooErrors.ModelInputNotImage.Raise(
            $"'{path}' has no 4-d image input (it has {string.Join(", ", inputs.Select(i => i.ToString()))}); use a model that takes an image tensor.");
        var (layout, channels, height, width) = ImageAxes(image, path);
        if (options.Size is { } size)
        {
            (width, height) = (size.Width, size.Height);
        }
        if (width is null || height is null)
        {
            throw new ZooUsageException($"the input {image} of '{path}' has no fixed size; give one with --size N (or --size WxH).");
        }
        var elementType = image.ElementType switch
        {
            "float" or "float32" => "float32",
            "uint8" => "uint8",
            "int32" => "int32",
            _ => throw ZooErrors.ModelInputNotImage.Raise(
                $"input {image} of '{path}' has element type {image.ElementType}; image inputs must be float32, uint8 or int32."),
        };
        var integer = elementType != "float32";
        var mean = options.Mean;
        var std = options.Std;
        if (integer)
        {
            if (mean is not null || std is not null)
            {
                throw new ZooUsageException($"the input of '{path}' takes {elementType} pixels (0-255) as they are; --mean and --std do not apply to it.");
            }
        }
        else if (mean is null || std is null)
        {
            // A graph does not record its normalisation: PyTorch-style (NCHW) exports mostly use ImageNet statistics,
            // TensorFlow-style (NHWC) graphs mostly take [0,1].
            var imageNet = layout == TensorLayout.Nchw && channels == 3;
            mean ??= imageNet ? ImageNetMean : [0f];
            std ??= imageNet ? ImageNetStd : [1f];
            assumed.Add(imageNet
                ? "pixels scaled to [0,1] then ImageNet mean/std (the usual for NCHW exports); pass --mean and --std if the model was trained otherwise"
                : "pixels scaled to [0,1] (the usual for NHWC graphs); pass --mean and --std if the model expects otherwise");
        }
        var classifier = task is ModelTask.ImageClassification or ModelTask.ImageFeatureVector;
        return new InputSpec
        {
            Name = image.Name,
            Layout = layout,
            Width = width.Value,
            Height = height.Value,
            ColorOrder = channels == 1 ? ColorOrder.Gray : ColorOrder.Rgb,
            Scale = integer ? 1f : 1f / 255f,
            Mean = integer ? [0f] : mean!,
            Std = integer ? [1f] : std!,
            ElementType = elementType,
            // Whole-image models see the centre of the photo as in ImageNet evaluation (shorter side to 8/7 of the
            // input); detectors see all of it, letterboxed.
            Resize = classifier ? ResizeMode.CenterCrop : ResizeMode.Letterbox,
            ResizeShorterSide = classifier ? (int)Math.Round(Math.Min(width.Value, height.Value) * 8.0 / 7.0) : null,
        };
    }

    /// <summary>An embedded input spec with the size, mean and std flags applied over it.</summary>
    private static InputSpec Override(InputSpec spec, LocalCardOptions options, string path)
    {
        if ((options.Mean is not null || options.Std is not null) && spec.ElementType != "float32")
        {
            throw new ZooUsageException($"the input of '{path}' takes {spec.ElementType} pixels (0-255) as they are; --mean and --std do not apply to it.");
        }
        return spec with
        {
            Width = options.Size?.Width ?? spec.Width,
            Height = options.Size?.Height ?? spec.Height,
            Mean = options.Mean ?? spec.Mean,
            Std = options.Std ?? spec.Std,
        };
    }

    /// <summary>Embedded class names, written once per model into the import cache (keyed by the model's SHA-256) so that
    /// the card can name them as a file like any other.</summary>
    private static LabelsSpec EmbeddedLabels(IReadOnlyList<string> names, int offset, string modelSha, List<ModelFile> files, ZooSettings settings)
    {
        var root = ImportedModelCache.ForStore(settings).Root;
        Directory.CreateDirectory(root);
        var path = Path.Combine(root, modelSha + ".labels.txt");
        var text = string.Join("\n", names) + "\n";
        if (!File.Exists(path) || File.ReadAllText(path) != text)
        {
            var partial = path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".partial";
            File.WriteAllText(partial, text);
            File.Move(partial, path, overwrite: true);
        }
        files.Add(FileEntry(path, "labels") with { Name = "labels.txt" });
        return new LabelsSpec { Source = LabelSets.FilePrefix + "labels.txt", Count = names.Count + offset, Offset = offset };
    }

    /// <summary>Which axis of a 4-d image input holds the channels (1 or 3 of them), and the height and width where fixed.</summary>
    private static (TensorLayout Layout, int Channels, int? Height, int? Width) ImageAxes(OnnxValueInfo image, string path)
    {
        long? Dim(int axis) => image.Shape[axis].Value is > 0 and var v ? v : null;
        if (Dim(1) is 1 or 3)
        {
            return (TensorLayout.Nchw, (int)Dim(1)!.Value, (int?)Dim(2), (int?)Dim(3));
        }
        if (Dim(3) is 1 or 3)
        {
            return (TensorLayout.Nhwc, (int)Dim(3)!.Value, (int?)Dim(1), (int?)Dim(2));
        }
        throw ZooErrors.ModelInputNotImage.Raise(
            $"cannot tell the channel axis of input {image} in '{path}' (neither axis 1 nor axis 3 is 1 or 3); use a model with an RGB or gray image input.");
    }

    // A file that carries its own description but names no classes is never given ImageNet's by guess (`described`): a
    // Darknet ImageNet classifier, for one, orders them otherwise.
    private static LabelsSpec? InferLabels(OnnxModel graph, ModelTask task, LocalCardOptions options, List<ModelFile> files, List<string> assumed,
        bool described)
    {
        if (options.Labels is { } labels)
        {
            if (LabelFile(labels) is not { } full)
            {
                return new LabelsSpec { Source = labels };
            }
            var entry = FileEntry(full, "labels");
            if (files.Any(f => string.Equals(f.Name, entry.Name, StringComparison.OrdinalIgnoreCase)))
            {
                entry = entry with { Name = "labels-" + entry.Name };
            }
            files.Add(entry);
            var count = LabelSets.Parse(File.ReadAllText(full)).Count;
            var classes = ClassCount(graph);
            return new LabelsSpec { Source = LabelSets.FilePrefix + entry.Name, Offset = classes == count + 1 ? 1 : 0 };
        }
        if (task == ModelTask.ImageClassification && ClassCount(graph) is 1000 or 1001 && !described)
        {
            assumed.Add("ImageNet-1k class names (the output has 1000 classes); pass --labels FILE for others");
            return new LabelsSpec { Source = LabelSets.BuiltinPrefix + "imagenet1k", Offset = ClassCount(graph) == 1001 ? 1 : 0 };
        }
        if (task is ModelTask.ImageClassification or ModelTask.ObjectDetection)
        {
            var why = described ? "; the file describes itself but names none, and a guessed order could mislabel every result" : "";
            throw new ZooUsageException($"a {Formatting.TaskName(task)} model needs class names: give --labels FILE (one per line) or --labels builtin:NAME ({string.Join(", ", LabelSets.BuiltinNames)}){why}.");
        }
        return null;
    }

    private static OutputSpec? InferOutput(OnnxModel graph, ModelTask task, LocalCardOptions options, List<string> assumed)
    {
        var first = graph.Outputs.Count > 0 ? graph.Outputs[0] : null;
        switch (task)
        {
            case ModelTask.ImageClassification:
                var softmax = first is not null && graph.OpTypeProducing(first.Name) == "Softmax";
                return new OutputSpec { Name = first?.Name, Kind = softmax ? OutputKind.Probabilities : OutputKind.Logits, Size = ClassCount(graph) };
            case ModelTask.ImageFeatureVector:
                var length = first is null ? null : first.Shape.Skip(1).Where(d => d.Value is not 1).ToList() is [{ Value: { } n }] ? (int?)n : null;
                if (length is null)
                {
                    throw ZooErrors.ModelOutputNotVector.Raise(
                        $"the first output {first} is not one vector per image; cut the model with `zoo headless FILE --out cut.onnx` first.");
                }
                if (!options.TrainingBase && (length is 1000 or 1001 || graph.OpTypeProducing(first!.Name) == "Softmax"))
                {
                    assumed.Add($"the output {first!.Name} looks like class scores, not features; `zoo headless FILE --out cut.onnx` cuts the classifier head off");
                }
                return new OutputSpec { Name = first!.Name, Kind = OutputKind.Features, Size = length };
            default:
                var decoders = DecodersFor(task);
                var decoder = options.Decoder;
                if (decoder is null && decoders.Count == 1)
                {
                    decoder = decoders[0];
                    assumed.Add($"decoder {decoder} (the only {Formatting.TaskName(task)} decoder)");
                }
                if (decoder is null || !decoders.Contains(decoder))
                {
                    throw new ZooUsageException(decoder is null
                        ? $"a {Formatting.TaskName(task)} model file needs --decoder to read its outputs; give one of: {string.Join(", ", decoders)}."
                        : $"'{decoder}' is not a {Formatting.TaskName(task)} decoder; give --decoder with one of: {string.Join(", ", decoders)}.");
                }
                return new OutputSpec { Kind = OutputKind.Raw, Decoder = decoder };
        }
    }

    private static IReadOnlyList<string> DecodersFor(ModelTask task) => TaskRegistry.Default.Find(task)?.Decoders ?? [];

    private static int? ClassCount(OnnxModel graph) =>
        graph.Outputs.Count > 0 && graph.Outputs[0].Shape.Skip(1).Where(d => d.Value is not 1).ToList() is [{ Value: { } n }] ? (int)n : null;

    private static ModelFile FileEntry(string path, string role)
    {
        using var stream = File.OpenRead(path);
        var sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        return new ModelFile
        {
            Name = Path.GetFileName(path),
            Role = role,
            Source = "file:" + path,
            Sha256 = sha,
            Size = stream.Length,
        };
    }

    /// <summary>The weight shards a TFJS model.json lists, beside it.</summary>
    private static IEnumerable<string> TfjsShards(string modelJson)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(modelJson));
        var folder = Path.GetDirectoryName(modelJson)!;
        var shards = new List<string>();
        if (document.RootElement.TryGetProperty("weightsManifest", out var manifest))
        {
            foreach (var group in manifest.EnumerateArray())
            {
                foreach (var shard in group.GetProperty("paths").EnumerateArray())
                {
                    var file = Path.Combine(folder, shard.GetString() ?? "");
                    if (!File.Exists(file))
                    {
                        throw ZooErrors.ModelFileMissing.Raise(
                            $"'{modelJson}' lists the weight file '{shard.GetString()}', which is not beside it; copy the whole model folder.");
                    }
                    shards.Add(file);
                }
            }
        }
        return shards;
    }

    /// <summary><c>local/NAME</c>: the file name (the folder's for a model.json) in handle form.</summary>
    public static string HandleFor(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        if (name.Equals("model", StringComparison.OrdinalIgnoreCase) && Path.GetFileName(Path.GetDirectoryName(path)) is { Length: > 0 } folder)
        {
            name = folder;
        }
        var chars = name.ToLowerInvariant().Select(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '.' or '_' or '-' ? c : '-').ToArray();
        var slug = new string(chars).Trim('.', '_', '-');
        return "local/" + (slug.Length == 0 ? "model" : slug);
    }

    /// <summary>The model-file options as given on the command line (<c>--labels</c>, <c>--mean</c>, <c>--std</c>,
    /// <c>--size</c>, <c>--decoder</c>; null where not given), parsed.</summary>
    public static LocalCardOptions FromFlags(string? labels, string? mean, string? std, string? size, string? decoder) => new()
    {
        Labels = labels,
        Mean = mean is null ? null : ParseFloats("--mean", mean),
        Std = std is null ? null : ParseFloats("--std", std),
        Size = size is null ? null : ParseSize(size),
        Decoder = decoder,
    };

    /// <summary>Parses <c>N</c> or <c>WxH</c>.</summary>
    public static (int Width, int Height) ParseSize(string text)
    {
        var parts = text.Split('x', 'X');
        if (parts.Length is 1 or 2 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0))
        {
            var w = int.Parse(parts[0], CultureInfo.InvariantCulture);
            return (w, parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : w);
        }
        throw new ZooUsageException($"--size '{text}' is not a size; give N (a square input) or WIDTHxHEIGHT, e.g. 224 or 320x240.");
    }

    /// <summary>Parses comma-separated floats (<c>0.485,0.456,0.406</c>).</summary>
    public static float[] ParseFloats(string option, string text)
    {
        var values = text.Split(',', StringSplitOptions.TrimEntries);
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.TryParse(values[i], NumberStyles.Float, CultureInfo.InvariantCulture, out result[i]) || !float.IsFinite(result[i]))
            {
                throw new ZooUsageException($"{option} '{text}' is not a list of numbers; give one value or one per channel, e.g. 0.485,0.456,0.406.");
            }
        }
        return result;
    }
}
