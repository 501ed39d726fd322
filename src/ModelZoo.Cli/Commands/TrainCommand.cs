using ModelZoo.Training.Data;
using ModelZoo.Training.FineTuning;
using ModelZoo.Training.Heads;
using ModelZoo.Training.Optimizers;
using ModelZoo.Training.Transfer;

namespace ModelZoo.Cli.Commands;

/// <summary><c>zoo train</c>: transfer learning from a catalog model onto a folder of labelled images.</summary>
public sealed class TrainCommand(ZooContext context) : AsyncCommand<TrainCommand.Settings>
{
    /// <summary>Options of <c>zoo train</c>.</summary>
    public sealed class Settings : RuntimeSettings
    {
        /// <summary>Base model handle.</summary>
        [CommandOption("--base <HANDLE>"), Description("Base model: an image-classification or image-feature-vector handle from `zoo list`, or an image classifier model file (.onnx or TFJS model.json), registered as local/NAME.")]
        public string? Base { get; init; }

        /// <summary>Dataset folder or CSV.</summary>
        [CommandOption("--data <DIR>"), Description("Folder with one sub-folder of images per class, or a CSV file with a path,label header.")]
        public string? Data { get; init; }

        /// <summary>Output folder.</summary>
        [CommandOption("-o|--out <DIR>"), Description("Folder for model.onnx, card.json, labels.txt, history.csv, metrics.json, plots and report.html.")]
        public string? Out { get; init; }

        /// <summary>Handle to register the trained model under.</summary>
        [CommandOption("--name <HANDLE>"), Description("Handle to register the trained model under (default local/<data folder name>).")]
        public string? Name { get; init; }

        /// <summary>Replace an existing user card of the same handle.</summary>
        [CommandOption("--force"), Description("Replace an existing user model of the same --name that was trained into another folder.")]
        public bool Force { get; init; }

        /// <summary>Epochs.</summary>
        [CommandOption("--epochs <N>"), Description("Epochs of mini-batch training. Default: a linear head is solved to its optimum (L-BFGS, L2 chosen on validation), an mlp head trains at least 10 epochs and 300 steps. Giving --epochs or --lr trains a linear head with mini-batches; with --unfreeze, --epochs only sets the fine-tuning epochs.")]
        public int? Epochs { get; init; }

        /// <summary>Mini-batch size.</summary>
        [CommandOption("-b|--batch <N>"), Description("Mini-batch size of head training (default 32)."), DefaultValue(32)]
        public int Batch { get; init; } = 32;

        /// <summary>Learning rate.</summary>
        [CommandOption("--lr <RATE>"), Description("Peak learning rate of mini-batch training (default 0.001; selects mini-batch training for a linear head, see --epochs).")]
        public float? LearningRate { get; init; }

        /// <summary>Validation share.</summary>
        [CommandOption("--val-split <FRACTION>"), Description("Share of each class held out for validation, 0 to <1 (default 0.2)."), DefaultValue(0.2)]
        public double ValidationSplit { get; init; } = 0.2;

        /// <summary>Seed.</summary>
        [CommandOption("--seed <N>"), Description("Seed of the split, augmentation and head initialisation (default 0)."), DefaultValue(0)]
        public int Seed { get; init; }

        /// <summary>Augmentation level.</summary>
        [CommandOption("--augment <LEVEL>"), Description("none (default), light (crops, flips) or strong (also rotation and colour)."), DefaultValue("none"), TypeConverter(typeof(ChoiceConverter<AugmentationLevel>))]
        public AugmentationLevel Augment { get; init; }

        /// <summary>Augmented views per image.</summary>
        [CommandOption("--views <N>"), Description("Augmented views per training image with light/strong augmentation (default 4)."), DefaultValue(TransferOptions.DefaultAugmentViews)]
        public int Views { get; init; } = TransferOptions.DefaultAugmentViews;

        /// <summary>Whether photos are decoded at full size for feature extraction.</summary>
        [CommandOption("--full-decode"), Description("Decode every photo at full size for feature extraction (by default a JPEG much larger than the model input is decoded smaller by the codec, as `zoo classify` decodes it; augmented views always start from the full photo).")]
        public bool FullDecode { get; init; }

        /// <summary>Head shape.</summary>
        [CommandOption("--head <KIND>"), Description("linear (default) or mlp (one hidden layer)."), DefaultValue("linear"), TypeConverter(typeof(ChoiceConverter<HeadKind>))]
        public HeadKind Head { get; init; }

        /// <summary>Optimizer.</summary>
        [CommandOption("--optimizer <NAME>"), Description("adam (default) or sgd."), DefaultValue("adam"), TypeConverter(typeof(ChoiceConverter<OptimizerKind>))]
        public OptimizerKind Optimizer { get; init; }

        /// <summary>Hidden units of the mlp head.</summary>
        [CommandOption("--hidden <N>"), Description("Hidden units of the mlp head (default 256)."), DefaultValue(256)]
        public int Hidden { get; init; } = 256;

        /// <summary>Early stopping patience.</summary>
        [CommandOption("--patience <EPOCHS>"), Description("Stop after this many epochs without a better validation loss (default: never).")]
        public int? Patience { get; init; }

        /// <summary>Class balancing.</summary>
        [CommandOption("--balance"), Description("Weight classes inversely to their size.")]
        public bool Balance { get; init; }

        /// <summary>Trailing weight layers to fine-tune.</summary>
        [CommandOption("--unfreeze <N>"), Description("Fine-tune the backbone's last N weight layers (Conv/Gemm/MatMul, counted back from the features) with the head; e.g. 2 = ResNet-18's last block.")]
        public int? Unfreeze { get; init; }

        /// <summary>Tensor to fine-tune from.</summary>
        [CommandOption("--unfreeze-from <TENSOR>"), Description("Fine-tune every layer after this backbone tensor (instead of --unfreeze).")]
        public string? UnfreezeFrom { get; init; }

        /// <summary>Fine-tuning epochs.</summary>
        [CommandOption("--finetune-epochs <N>"), Description("Epochs of fine-tuning after the head is trained on the frozen backbone (default: --epochs, or 10). The best epoch by validation is kept; if none beats the frozen head, the frozen head is exported.")]
        public int? FineTuneEpochs { get; init; }

        /// <summary>Fine-tuning learning rate.</summary>
        [CommandOption("--finetune-lr <RATE>"), Description("Peak learning rate of fine-tuning (default: --lr / 10, i.e. 0.0001); a diverging step is rolled back and the rate halved.")]
        public float? FineTuneLearningRate { get; init; }

        /// <inheritdoc />
        public override ValidationResult Validate() => OptionRules.FirstError(base.Validate,
            (Unfreeze is not null && UnfreezeFrom is not null, "pass only one of --unfreeze N and --unfreeze-from TENSOR."),
            (Unfreeze is < 1, "--unfreeze must be 1 or more, e.g. --unfreeze 2."),
            (string.IsNullOrWhiteSpace(Base), "give the base model with --base HANDLE, e.g. --base imagenet/resnet18/feature_vector."),
            (string.IsNullOrWhiteSpace(Data), "give the images with --data DIR (one sub-folder per class) or a path,label CSV."),
            (string.IsNullOrWhiteSpace(Out), "give the output folder with --out DIR."));

        /// <summary>The library options these settings describe.</summary>
        public TransferOptions ToOptions() => new()
        {
            BaseHandle = Base!,
            Data = Data!,
            OutputDirectory = Out!,
            Name = Name,
            Overwrite = Force,
            Epochs = Epochs,
            BatchSize = Batch,
            LearningRate = LearningRate,
            ValidationSplit = ValidationSplit,
            Seed = Seed,
            Augment = Augment,
            AugmentViews = Views,
            ScaledDecode = !FullDecode,
            Head = Head,
            Optimizer = Optimizer,
            HeadOptions = new HeadTrainingOptions { HiddenUnits = Hidden, EarlyStoppingPatience = Patience, BalanceClasses = Balance },
            Session = Session(),
            Unfreeze = Unfreeze,
            UnfreezeFrom = UnfreezeFrom,
            FineTuneEpochs = FineTuneEpochs,
            FineTuneLearningRate = FineTuneLearningRate,
        };
    }

    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var options = settings.ToOptions();
        options.Validate();
        TransferLearner.CheckHandle(options, context.Catalog);
        // Check the data and the base handle before anything is downloaded.
        ImageDataset.Load(options.Data);
        if (LocalModelCards.IsModelFile(options.BaseHandle))
        {
            options = options with { BaseHandle = RegisterBaseFile(options.BaseHandle) };
        }
        var baseCard = context.Catalog.Get(options.BaseHandle);
        await PullProgressDisplay.PullAsync(context, [baseCard], cancellationToken).ConfigureAwait(false);

        var notes = new List<string>();
        var result = await TrainWithProgressAsync(options, notes, cancellationToken).ConfigureAwait(false);
        foreach (var note in notes)
        {
            context.Status.MarkupLine($"[yellow]warning:[/] {Markup.Escape(note)}");
        }
        context.ReloadCatalog();
        Summarise(result, result.FineTuning);
        return 0;
    }

    /// <summary>Registers a base model file as a user card, since training looks its base up by handle; the card's handle.</summary>
    private string RegisterBaseFile(string path)
    {
        var fileCard = LocalModelCards.Resolve(context, path, ModelZoo.Catalog.ModelTask.ImageFeatureVector,
            new LocalCardOptions { TrainingBase = true });
        context.Catalog.Register(fileCard, context.Settings, overwrite: true);
        context.ReloadCatalog();
        context.Status.MarkupLine($"[grey]base:[/] registered {Markup.Escape(path)} as [bold]{Markup.Escape(fileCard.Handle)}[/]");
        return fileCard.Handle;
    }

    /// <summary>Trains with a progress bar per stage; the run's messages are collected into <paramref name="notes"/>
    /// to be printed after the bars.</summary>
    private async Task<TransferResult> TrainWithProgressAsync(TransferOptions options, List<string> notes, CancellationToken cancellationToken)
    {
        var learner = new TransferLearner(context.Store, context.Catalog, context.Settings);
        TransferResult? result = null;
        await context.Status.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async progressContext =>
            {
                var bars = new Dictionary<TransferStage, ProgressTask>();
                ProgressTask Bar(TransferStage stage, string name, int total)
                {
                    if (!bars.TryGetValue(stage, out var bar))
                    {
                        bar = progressContext.AddTask(name, maxValue: Math.Max(1, total));
                        bars[stage] = bar;
                    }
                    return bar;
                }

                var reporter = new SyncProgress<TransferProgress>(p =>
                {
                    ShowProgress(p, Bar);
                    if (p.Message is { } message)
                    {
                        lock (notes)
                        {
                            notes.Add(message);
                        }
                    }
                });
                // The learner picks the stage (frozen head, or fine-tuning when --unfreeze is given).
                result = await learner.TrainAsync(options, reporter, cancellationToken).ConfigureAwait(false);
                foreach (var bar in bars.Values)
                {
                    bar.Value = bar.MaxValue;
                    bar.StopTask();
                }
            }).ConfigureAwait(false);
        return result!;
    }

    private static void ShowProgress(TransferProgress p, Func<TransferStage, string, int, ProgressTask> bar)
    {
        switch (p.Stage)
        {
            case TransferStage.Features:
                bar(p.Stage, "features", p.Total).Value = p.Done;
                break;
            case TransferStage.Augmenting:
                bar(p.Stage, "augmented views", p.Total).Value = p.Done;
                break;
            case TransferStage.Training:
                var epochs = bar(p.Stage, "epochs", p.Total);
                epochs.Value = p.Done;
                if (p.Epoch is { } e)
                {
                    epochs.Description = e.ValAccuracy is { } va
                        ? string.Create(CultureInfo.InvariantCulture, $"epochs (loss {e.TrainLoss:0.000}, val acc {va:P1})")
                        : string.Create(CultureInfo.InvariantCulture, $"epochs (loss {e.TrainLoss:0.000}, acc {e.TrainAccuracy:P1})");
                }
                break;
        }
    }

    private void Summarise(TransferResult result, FineTuneResult? fineTuned)
    {
        var m = result.Metrics;
        var table = new Table().Border(TableBorder.Rounded).Title("zoo train").AddColumn("").AddColumn(new TableColumn("").RightAligned());
        table.HideHeaders();
        if (fineTuned is not null)
        {
            var plan = fineTuned.Plan;
            table.AddRow("fine-tuned", Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{plan.WeightLayers.Count} weight layers after '{plan.CutTensor}' ({plan.ParameterCount:N0} parameters)")));
            table.AddRow("frozen-backbone val accuracy", fineTuned.FrozenValidationAccuracy?.ToString("P1", CultureInfo.InvariantCulture) ?? "-");
            table.AddRow("exported", fineTuned.Outcome.Kept ? "fine-tuned weights" : "[yellow]frozen head (fine-tuning did not beat it)[/]");
            if (fineTuned.EpochTimes.Count > 0)
            {
                table.AddRow("time per fine-tuning epoch", fineTuned.EpochTimes.Average(t => t.TotalSeconds).ToString("0.00 s", CultureInfo.InvariantCulture));
            }
        }
        table.AddRow("train accuracy", m.TrainAccuracy.ToString("P1", CultureInfo.InvariantCulture));
        table.AddRow("validation accuracy", m.ValidationAccuracy?.ToString("P1", CultureInfo.InvariantCulture) ?? "-");
        table.AddRow("validation loss", m.ValidationLoss?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-");
        if (m.HeadSolver == "lbfgs" && fineTuned is null)
        {
            table.AddRow("head", Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"solved by L-BFGS, L2 {m.L2:0.###} chosen by {m.L2Selection}, refit on all images")));
        }
        else
        {
            table.AddRow("epochs", string.Create(CultureInfo.InvariantCulture, $"{m.Epochs} (weights of epoch {m.BestEpoch} kept)"));
        }
        table.AddRow("classes", result.Labels.Count.ToString(CultureInfo.InvariantCulture));
        table.AddRow("images", m.Images.ToString(CultureInfo.InvariantCulture));
        table.AddRow("skipped", m.Skipped.ToString(CultureInfo.InvariantCulture));
        table.AddRow("feature cache", string.Create(CultureInfo.InvariantCulture, $"{m.CacheHits} hits, {m.CacheMisses} misses"));
        var total = result.Timings.FirstOrDefault(t => t.Stage == "total");
        if (total is not null)
        {
            table.AddRow("time", total.Duration.TotalSeconds.ToString("0.0 s", CultureInfo.InvariantCulture));
        }
        table.AddRow("registered as", Markup.Escape(result.Card.Handle));
        table.AddRow("model", Markup.Escape(result.ModelPath));
        context.Console.Write(table);
        if (fineTuned is not null)
        {
            context.Console.MarkupLine(Markup.Escape(fineTuned.Outcome.Note));
        }
        context.Console.MarkupLine($"report: {Markup.Escape(result.ReportPath)}");
        context.Console.MarkupLine($"try it: zoo classify {Markup.Escape(result.Card.Handle)} IMAGE");
    }
}
