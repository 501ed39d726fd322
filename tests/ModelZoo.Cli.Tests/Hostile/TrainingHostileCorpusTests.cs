using ModelZoo.Catalog;
using ModelZoo.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ModelZoo.Cli.Tests.Hostile;

/// <summary>
/// Hostile <c>zoo train</c> runs on a generated base model (<see cref="MeanColorModel"/>, a real 3-d feature
/// extractor) and a small real dataset: options no run can use, a base whose features overflow, a --name that
/// belongs to another run. Every case ends in a one-line error, exit 1 or 2, no stack trace, no hang, no output
/// folder and no card registered (or the existing card left exactly as it was).
/// </summary>
public sealed class TrainingHostileCorpusTests(ITestOutputHelper log)
{
    private const string Base = "local/mean-color";

    /// <summary>Options refused before anything is loaded or written (exit 2).</summary>
    public static TheoryData<string[], string> BadOptions() => new()
    {
        { ["--lr", "1e30"], "--lr 1E+30 is out of range" },
        { ["--lr", "NaN"], "--lr NaN is out of range" },
        { ["--lr", "Infinity"], "--lr" },
        { ["--lr", "0"], "--lr 0 is out of range" },
        { ["--lr", "-0.1"], "--lr -0.1 is out of range" },
        { ["--lr", "fast"], "fast" },
        { ["--epochs", "0"], "--epochs 0 is out of range" },
        { ["--epochs", "-3"], "--epochs -3 is out of range" },
        { ["--epochs", "1000000"], "--epochs 1000000 is out of range" },
        { ["--epochs", "99999999999"], "99999999999" },
        { ["--batch", "0"], "--batch 0 is out of range" },
        { ["--val-split", "1.5"], "--val-split 1.5 is out of range" },
        { ["--val-split", "NaN"], "--val-split NaN is out of range" },
        { ["--augment", "light", "--views", "0"], "--views 0 is out of range" },
        { ["--augment", "light", "--views", "100000"], "--views 100000 is out of range" },
        { ["--head", "mlp", "--hidden", "0"], "--hidden 0 is out of range" },
        { ["--patience", "0"], "--patience 0 is out of range" },
        { ["--threads", "-1"], "--threads must be 0 or more" },
        { ["--unfreeze", "1", "--finetune-lr", "1e30"], "--finetune-lr 1E+30 is out of range" },
        { ["--unfreeze", "1", "--finetune-epochs", "0"], "--finetune-epochs" },
        { ["--unfreeze", "0"], "--unfreeze must be 1 or more" },
        { ["--name", "Not A Handle"], "not a valid model handle" },
        { ["--name", "imagenet/resnet18/feature_vector"], "built-in model handle" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Unusable_options_are_usage_errors_before_anything_is_written(string[] options, string message)
    {
        using var run = new Run();

        var result = run.Train(options);

        var error = ModelInputCorpus.AssertCleanError(result, message);
        log.WriteLine(error);
        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {error}");
        run.AssertNothingLeft();
    }

    [Fact]
    public void A_base_whose_features_overflow_ends_in_a_clean_error_and_leaves_nothing()
    {
        using var run = new Run(gain: 1e38f);

        var result = run.Train([]);

        ModelInputCorpus.AssertCleanError(result, "not finite");
        run.AssertNothingLeft();
    }

    [Fact]
    public void A_name_of_a_model_trained_elsewhere_is_refused_without_force_and_replaced_with_it()
    {
        using var run = new Run();
        var first = run.Train(["--name", "local/colors"]);
        Assert.True(first.ExitCode == 0, first.AllText);
        var cardPath = Path.Combine(ModelCatalog.UserFolder(run.Settings), ModelCatalog.FileNameOf("local/colors"));
        var before = File.ReadAllText(cardPath);
        var otherOut = Path.Combine(run.Home.Path, "other-out");

        var refused = run.Train(["--name", "local/colors"], otherOut);

        var error = ModelInputCorpus.AssertCleanError(refused, "local/colors", "--force");
        Assert.True(refused.ExitCode == 2, error);
        Assert.Equal(before, File.ReadAllText(cardPath));
        Assert.False(Directory.Exists(otherOut));

        var forced = run.Train(["--name", "local/colors", "--force"], otherOut);

        Assert.True(forced.ExitCode == 0, forced.AllText);
        Assert.Contains(otherOut, File.ReadAllText(cardPath));
    }

    [Fact]
    public void Retraining_into_the_same_folder_replaces_its_own_card_and_leaves_no_staging_folder()
    {
        using var run = new Run();
        Assert.Equal(0, run.Train(["--name", "local/colors"]).ExitCode);

        var again = run.Train(["--name", "local/colors", "--epochs", "3"]);

        Assert.True(again.ExitCode == 0, again.AllText);
        Assert.True(File.Exists(Path.Combine(run.Out, "model.onnx")));
        Assert.True(File.Exists(Path.Combine(run.Out, "report.html")));
        Assert.Empty(Directory.GetDirectories(run.Home.Path, ".*.tmp"));
        Assert.Empty(Directory.GetDirectories(run.Out, ".*.tmp"));
    }

    [Fact]
    public void A_staging_folder_left_by_a_killed_run_is_removed_by_the_next_run()
    {
        using var run = new Run();
        Directory.CreateDirectory(run.Out);
        var stale = Path.Combine(run.Out, ".zoo-run-deadbeef.tmp");
        var beside = Path.Combine(run.Home.Path, ".out.zoo-run-0badf00d.tmp");
        foreach (var folder in new[] { stale, beside })
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "model.onnx"), "half");
            Directory.SetLastWriteTimeUtc(folder, DateTime.UtcNow.AddDays(-1));
        }

        var result = run.Train([]);

        Assert.True(result.ExitCode == 0, result.AllText);
        Assert.False(Directory.Exists(stale));
        Assert.False(Directory.Exists(beside));
    }

    /// <summary>A finished run with a NaN loss, a NaN weight or an infinite validation loss is refused before anything is
    /// written (the CLI cannot provoke one reliably: the head trainer standardises features and solves linear heads).</summary>
    [Theory]
    [InlineData("weight", "the head's weights are not finite")]
    [InlineData("validation", "the validation loss is +infinity")]
    public void A_diverged_run_is_refused_naming_what_diverged(string what, string message)
    {
        var run = FinishedRun(what);

        var ex = Assert.Throws<ZooException>(() => ModelZoo.Training.Transfer.RunPublisher.CheckFinite(run));

        Assert.Equal("training-diverged", ex.Code);
        Assert.Contains(message, ex.Message);
        Assert.Contains("lower --lr", ModelZoo.Cli.Infrastructure.ApiFlags.ToFlags(ex.Message));
    }

    [Fact]
    public void A_run_whose_diverged_epoch_was_not_kept_is_published()
    {
        var run = FinishedRun("loss");

        ModelZoo.Training.Transfer.RunPublisher.CheckFinite(run);
    }

    /// <summary>A finished two-epoch run (the unused parts left out) with one value broken: "loss" (epoch 2's loss is NaN),
    /// "weight" (a head weight is NaN) or "validation" (the validation loss is infinite).</summary>
    private static ModelZoo.Training.Transfer.TransferRun FinishedRun(string what)
    {
        var history = new ModelZoo.Training.Heads.TrainingHistory();
        history.Add(new ModelZoo.Training.Heads.EpochRecord(1, 0.5f, 0.5f, null, null, 0.001f, TimeSpan.Zero));
        history.Add(new ModelZoo.Training.Heads.EpochRecord(2, what == "loss" ? float.NaN : 0.4f, 0.6f, null, null, 0.001f, TimeSpan.Zero));
        var head = new ModelZoo.Training.Heads.ClassificationHead(ModelZoo.Training.Heads.HeadKind.Linear,
            [new ModelZoo.Training.Heads.HeadLayer([1f, what == "weight" ? float.NaN : 2f, 3f, 4f, 5f, 6f], 2, 3, [0f, 0f], ModelZoo.Training.Heads.HeadActivation.None)]);
        var metrics = new ModelZoo.Training.Transfer.TransferMetrics(1, 1, what == "validation" ? double.PositiveInfinity : 0.1, 2, 2, 10, 0, 0, 10);
        var options = new ModelZoo.Training.Transfer.TransferOptions { BaseHandle = Base, Data = "data", OutputDirectory = "out" };
        var run = new ModelZoo.Training.Transfer.TransferRun(options, "local/x", null!, null!, null!, null, null!, null!, head,
            new ModelZoo.Training.Heads.HeadTrainingResult(head, history, 1, false), metrics, null, [], [], []);
        return run;
    }

    /// <summary>A home with the base card registered, a two-class dataset, and the run's output folder.</summary>
    private sealed class Run : IDisposable
    {
        public Run(float gain = 1f)
        {
            Home = new TempHome();
            Settings = Home.Settings(offline: true);
            MeanColorModel.Register(MeanColorModel.Write(Path.Combine(Home.Path, "base"), Base, gain), Settings);
            Data = TuxpaintDataset.Create(Path.Combine(Home.Path, "data"), perClass: 5, classes: 2);
            Out = Path.Combine(Home.Path, "out");
        }

        public TempHome Home { get; }

        public ZooSettings Settings { get; }

        public string Data { get; }

        public string Out { get; }

        public CliRunner.Result Train(string[] options, string? output = null) =>
            ModelInputCorpus.Run(Settings, ["train", "--base", Base, "--data", Data, "--out", output ?? Out,
                .. options.Contains("--epochs") ? options : ["--epochs", "5", .. options]]);

        /// <summary>No output folder, no staging folder beside it, and no card but the base's.</summary>
        public void AssertNothingLeft()
        {
            Assert.False(Directory.Exists(Out), "the output folder was created");
            Assert.Empty(Directory.GetDirectories(Home.Path, ".*.tmp"));
            var cards = Directory.GetFiles(ModelCatalog.UserFolder(Settings)).Select(Path.GetFileName);
            Assert.Equal([ModelCatalog.FileNameOf(Base)], cards);
        }

        public void Dispose() => Home.Dispose();
    }
}
