using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Cli.Tests.Infrastructure;

/// <summary>What a user reads: whole relative paths, no runtime log noise, plain progress in a pipe, and a word when
/// nothing was found.</summary>
public sealed class OutputPolishTests
{
    [Fact]
    public void Faces_on_a_photo_without_faces_says_so_under_the_whole_image_path()
    {
        var dog = TestAssets.Image("darknet/dog.jpg");

        var result = CliRunner.Run(SharedStore.Settings, "faces", "face/blazeface/front_128", dog);

        Assert.True(result.ExitCode == 0, result.AllText);
        Assert.Contains("no faces found", result.Console);
        Assert.Contains(Path.GetFullPath(dog).Replace(Environment.CurrentDirectory + Path.DirectorySeparatorChar, ""), result.Console);
    }

    [Fact]
    public void Results_in_a_real_shell_name_images_relative_to_the_working_directory_with_no_runtime_log_and_plain_progress()
    {
        using var work = new TempHome();
        var photos = Path.Combine(work.Path, "holiday", "day one");
        Directory.CreateDirectory(photos);
        File.Copy(TestAssets.Image("darknet/dog.jpg"), Path.Combine(photos, "a-rather-long-file-name-for-the-dog-photo.jpg"));
        File.Copy(TestAssets.Image("darknet/horses.jpg"), Path.Combine(photos, "horses.jpg"));
        var env = new Dictionary<string, string?>
        {
            [ZooSettings.HomeVariable] = SharedStore.Settings.Home,
            [ZooSettings.OfflineVariable] = "1",
            ["COLUMNS"] = "60",
        };
        var model = HumanVisionModels.Pull("coco/nanodet/detection");

        var result = ZooProcess.Run(work.Path, env, TimeSpan.FromMinutes(4), "detect", "coco/nanodet/detection", "holiday");
        var classify = ZooProcess.Run(work.Path, env, TimeSpan.FromMinutes(4), "classify", TestAssets.SharedTestData("imagenet/mobilenetv2-12-int8.onnx"),
            Path.Combine("holiday", "day one", "horses.jpg"));

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains(Path.Combine("holiday", "day one", "a-rather-long-file-name-for-the-dog-photo.jpg"), result.Stdout.Split('\n'));
        Assert.Contains(Path.Combine("holiday", "day one", "horses.jpg"), result.Stdout.Split('\n'));
        Assert.DoesNotContain("onnxruntime", result.All, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("…", result.Stdout);
        // Plain progress: a start line and a done line, no redrawn bars.
        var progress = result.Stderr.Split('\n').Where(l => l.StartsWith("detecting:", StringComparison.Ordinal)).ToList();
        Assert.Contains(progress, l => l.Contains("started (2 images)"));
        Assert.Contains(progress, l => l.Contains("done (2 images"));
        Assert.DoesNotContain("\r", result.Stderr);
        Assert.True(classify.ExitCode == 0, classify.All);
        Assert.DoesNotContain("onnxruntime", classify.All, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(model);
    }

    [Fact]
    public void Onnx_runtime_warnings_reach_the_terminal_only_with_verbose()
    {
        using var work = new TempHome();
        foreach (var handle in new[] { "face/blazeface/front_128", "face/emotion_oarriaga/attributes" })
        {
            HumanVisionModels.Pull(handle);
        }
        var env = new Dictionary<string, string?> { [ZooSettings.HomeVariable] = SharedStore.Settings.Home, [ZooSettings.OfflineVariable] = "1" };
        string[] args = ["faces", "face/blazeface/front_128", TestAssets.Image("skimage/astronaut.png"), "--attributes", "face/emotion_oarriaga/attributes"];

        var quiet = ZooProcess.Run(work.Path, env, TimeSpan.FromMinutes(4), args);
        var verbose = ZooProcess.Run(work.Path, env, TimeSpan.FromMinutes(4), [.. args, "--verbose"]);

        Assert.True(quiet.ExitCode == 0, quiet.All);
        Assert.DoesNotContain("onnxruntime", quiet.All, StringComparison.OrdinalIgnoreCase);
        // The emotion model's graph has unused initializers, which the runtime reports while optimising it.
        Assert.True(verbose.ExitCode == 0, verbose.All);
        Assert.Contains("onnxruntime", verbose.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Plain_progress_prints_start_each_tenth_and_done_once()
    {
        var writer = new StringWriter();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Out = new Spectre.Console.AnsiConsoleOutput(writer),
            Ansi = Spectre.Console.AnsiSupport.No,
            Interactive = Spectre.Console.InteractionSupport.No,
        });
        console.Profile.Width = 200;
        Assert.True(ModelZoo.Cli.Infrastructure.PlainProgress.IsNeeded(console));
        var progress = new ModelZoo.Cli.Infrastructure.PlainProgress(console, "pulling x", 1000, n => $"{n} B");
        for (var done = 0; done <= 1000; done += 7)
        {
            progress.Report(done);
        }
        progress.Done();
        progress.Done();

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("pulling x: started (1000 B)", lines[0]);
        Assert.Equal(Enumerable.Range(1, 9).Select(t => $"{t * 10}%"), lines[1..^1].Select(l => l.Split(' ')[2]));
        Assert.StartsWith("pulling x: done (1000 B in ", lines[^1]);
        Assert.Equal(11, lines.Length);
    }
}
