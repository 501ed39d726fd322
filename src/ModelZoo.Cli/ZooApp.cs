using ModelZoo.Cli.Commands;

namespace ModelZoo.Cli;

/// <summary>
/// The <c>zoo</c> command line, runnable in-process (tests pass in-memory consoles). Exit codes: 0 success,
/// 1 failure, 2 usage error, 130 cancelled. Errors are one line ending with what to do; stack traces only with --verbose.
/// </summary>
public static class ZooApp
{
    /// <summary>Runs the command line against <paramref name="context"/> and returns the exit code.</summary>
    public static int Run(string[] args, ZooContext context, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        var verbose = args.Contains("--verbose") || args.Contains("-v");
        if (args is ["--version"])
        {
            context.Output.WriteLine(Version);
            return 0;
        }
        var app = new CommandApp(new ContextRegistrar(context));
        app.Configure(config => Configure(config, context));
        try
        {
            return app.RunAsync(args, ct).GetAwaiter().GetResult();
        }
        catch (CommandAppException ex) when (ex.InnerException is ChoiceException choice)
        {
            WriteError(context, choice.Describe(choice.FindOption(args)).TrimEnd('.') + "; run `zoo --help` or `zoo COMMAND --help` for usage.", ex, verbose);
            return 2;
        }
        catch (CommandAppException ex)
        {
            WriteError(context, ex.Message.TrimEnd('.') + "; run `zoo --help` or `zoo COMMAND --help` for usage.", ex, verbose);
            return 2;
        }
        catch (ZooException ex)
        {
            WriteError(context, ApiFlags.ToFlags(ex.Message), ex, verbose);
            return ex.ExitCode;
        }
        catch (OperationCanceledException)
        {
            context.Status.MarkupLine("[yellow]cancelled[/]");
            return 130;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteError(context, ex.Message + " Check the path, permissions and free disk space.", ex, verbose);
            return 1;
        }
        catch (Exception ex)
        {
            WriteError(context, $"unexpected error: {ex.Message} Rerun with --verbose for details and report it if it persists.", ex, verbose);
            return 1;
        }
    }

    /// <summary>The tool's version (the package version it was built as), without build metadata.</summary>
    public static string Version
    {
        get
        {
            var informational = typeof(ZooApp).Assembly
                .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
                .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion;
            return (informational ?? typeof(ZooApp).Assembly.GetName().Version?.ToString() ?? "0.0.0").Split('+')[0];
        }
    }

    private static void Configure(IConfigurator config, ZooContext context)
    {
        config.SetApplicationName("zoo");
        config.Settings.PropagateExceptions = true;
        config.SetInterceptor(new DeviceInterceptor(context.Settings));
        config.Settings.Console = context.Console;
        config.Settings.StrictParsing = true;
        // Registration order is the order `zoo --help` lists the commands in.
        AddStoreCommands(config);
        AddInferenceCommands(config);
        AddModelCommands(config);
        TaskCommands.Register(config, ModelZoo.Tasks.TaskRegistry.Default);
        AddEvaluationAndServing(config);
        AddBranches(config);
        config.AddCommand<OcrCommand>("ocr").WithDescription("Find and read text lines in images (PP-OCRv4 by default).")
            .WithExample("ocr", "photos/sign.jpg", "--json")
            .WithExample("ocr", "ocr/ppocrv4", "photos/", "--save", "annotated/");
    }

    private static void AddStoreCommands(IConfigurator config)
    {
        config.AddCommand<ListCommand>("list").WithDescription("List catalog models (filter with --task, --license).")
            .WithExample("list", "--task", "image-classification");
        config.AddCommand<InfoCommand>("info").WithDescription("Show a model card: licence, files, preprocessing.")
            .WithExample("info", "imagenet/resnet18/feature_vector");
        config.AddCommand<PullCommand>("pull").WithDescription("Download and verify models into the local store.")
            .WithExample("pull", "imagenet/resnet18/feature_vector");
        config.AddCommand<VerifyCommand>("verify").WithDescription("Re-hash cached files; exit 1 on corruption.");
        config.AddCommand<RemoveCommand>("rm").WithDescription("Remove models from the local store.");
        config.AddCommand<GcCommand>("gc").WithDescription("Delete stored files no cached model uses.");
    }

    private static void AddInferenceCommands(IConfigurator config)
    {
        config.AddCommand<EmbedCommand>("embed").WithDescription("Feature vectors of images (json, csv or npy).")
            .WithExample("embed", "imagenet/resnet18/feature_vector", "samples/", "--format", "csv");
        config.AddCommand<EmbedTextCommand>("embed-text").WithDescription("Sentence vectors of texts (table or --json).")
            .WithExample("embed-text", "\"A man is eating food.\"", "--json");
        config.AddCommand<SimilarCommand>("similar").WithDescription("Rank texts by cosine similarity to a query.")
            .WithExample("similar", "\"a cat\"", "--file", "sentences.txt", "--top", "3");
        config.AddCommand<ClassifyCommand>("classify").WithDescription("Top-K classes of images.")
            .WithExample("classify", "imagenet/mobilenet_v2_int8/classification", "samples/dog.jpg", "--top", "3");
    }

    private static void AddModelCommands(IConfigurator config)
    {
        config.AddCommand<TrainCommand>("train").WithDescription("Transfer learning: train a new head on a folder of labelled images.")
            .WithExample("train", "--base", "imagenet/resnet18/feature_vector", "--data", "photos/", "--out", "run/");
        config.AddCommand<EvaluateCommand>("evaluate").WithDescription("Accuracy, per-class metrics and confusion matrix on labelled images.")
            .WithExample("evaluate", "local/photos", "--data", "test-photos/", "--json");
        config.AddCommand<HeadlessCommand>("headless").WithDescription("Write a classifier without its head (pooled features as output).")
            .WithExample("headless", "model.onnx", "--out", "backbone.onnx");
        config.AddCommand<QuantizeCommand>("quantize").WithDescription("Static int8 quantization calibrated on your images, registered as a card of its own.");
    }

    private static void AddEvaluationAndServing(IConfigurator config)
    {
        config.AddCommand<UpscaleCommand>("upscale").WithDescription("Upscale images with a super-resolution model (tiled; PNG out).")
            .WithExample("upscale", "image/esrgan_slim/x2", "photo.jpg", "--out", "big/");
        config.AddCommand<BenchCommand>("bench").WithDescription("Images/s, latency percentiles and time per stage of a model's pipeline, next to ONNX Runtime alone.")
            .WithExample("bench", "coco/nanodet/detection", "--images", "samples/", "--json");
        config.AddCommand<ValCommand>("val").WithDescription("COCO mAP@0.5 and mAP@0.5:0.95 of a detector on labelled images (COCO JSON or YOLO txt).")
            .WithExample("val", "coco/ssd_mobilenet_v1/detection", "--data", "labelled-photos/", "--out", "val-report/");
        config.AddCommand<ServeCommand>("serve").WithDescription("Serve models over HTTP (native, Open Inference Protocol v2, Rekognition- and Vision-compatible APIs, web page).")
            .WithExample("serve", "--models", "imagenet/mobilenet_v2_int8/classification", "--port", "8080");
    }

    private static void AddBranches(IConfigurator config)
    {
        config.AddBranch("import", branch =>
        {
            branch.SetDescription("Translate models from other formats to ONNX.");
            branch.AddCommand<ImportCommand>("tfjs").WithDescription("TensorFlow.js graph or layers model (model.json + shards) to one ONNX file; --task and the flags that describe a model file are written into it, so it runs with none.")
                .WithExample("import", "tfjs", "models/movenet/model.json", "--out", "movenet.onnx");
            branch.AddCommand<ImportDarknetCommand>("darknet").WithDescription("Darknet cfg + weights (YOLOv2/v3, Darknet classifiers) to one ONNX file.")
                .WithExample("import", "darknet", "yolov3-tiny.cfg", "yolov3-tiny.weights", "--out", "yolov3-tiny.onnx");
            branch.AddCommand<ImportTfliteCommand>("tflite").WithDescription("TensorFlow Lite model (.tflite) to one ONNX file; --task and the flags that describe a model file are written into it, so it runs with none.")
                .WithExample("import", "tflite", "face_detection_short_range.tflite");
        });
        config.AddBranch("card", branch =>
        {
            branch.SetDescription("Model cards of your own model files.");
            branch.AddCommand<CardNewCommand>("new").WithDescription("Write the card of a local .onnx or TFJS model.json into the user catalog.")
                .WithExample("card", "new", "model.onnx", "--task", "image-classification", "--labels", "labels.txt");
            branch.AddCommand<CardRemoveCommand>("rm").WithDescription("Unregister cards you registered (train, quantize, card new) and drop their cached copy.")
                .WithExample("card", "rm", "local/tux");
        });
        config.AddBranch("batch", Commands.Batch.BatchCommands.Register);
    }

    private static void WriteError(ZooContext context, string message, Exception ex, bool verbose)
    {
        context.Status.MarkupLine($"[bold red]error:[/] {Markup.Escape(message)}");
        if (verbose)
        {
            context.Status.WriteException(ex);
        }
    }
}
