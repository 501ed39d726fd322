using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Cli.Tests.Hostile;

/// <summary>
/// Runs one hostile case of the store and image-file corpus: the CLI in-process under a time limit, and the checks every
/// case shares (exit code 1 or 2, the problem and its fix on one line, no stack trace).
/// </summary>
internal static class StoreCorpusRunner
{
    /// <summary>Long enough for the slowest honest case (a real model's first load), far below any hang.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    /// <summary>Runs <c>zoo</c>; fails the test when it does not end within <see cref="Limit"/> (the run is cancelled, as Ctrl+C would).</summary>
    public static CliRunner.Result Run(ZooSettings settings, params string[] args)
    {
        using var cancel = new CancellationTokenSource();
        var run = Task.Run(() => CliRunner.Run(settings, cancel.Token, args));
        if (!run.Wait(Limit))
        {
            cancel.Cancel();
            Assert.Fail($"`zoo {string.Join(' ', args)}` did not end within {Limit.TotalSeconds:0} s (a hang)");
        }
        return run.Result;
    }

    /// <summary>Asserts a clean failure: exit code 1 or 2, an <c>error:</c> line holding every one of <paramref name="phrases"/>, no stack trace.</summary>
    public static void AssertCleanError(CliRunner.Result result, params string[] phrases)
    {
        Assert.True(result.ExitCode is 1 or 2, $"exit code {result.ExitCode}: {result.AllText}");
        AssertNoStackTrace(result);
        var text = result.AllText;
        var error = text.IndexOf("error:", StringComparison.Ordinal);
        Assert.True(error >= 0, $"no error line: {text}");
        Assert.DoesNotContain("unexpected error", text, StringComparison.Ordinal);
        foreach (var phrase in phrases)
        {
            Assert.Contains(phrase, text[error..], StringComparison.Ordinal);
        }
    }

    public static void AssertNoStackTrace(CliRunner.Result result)
    {
        foreach (var stream in new[] { result.Output, result.Console, result.Status })
        {
            Assert.DoesNotContain("   at ", stream, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception:", stream, StringComparison.Ordinal);
        }
    }

    /// <summary>The committed dog photo (a real JPEG).</summary>
    public static string Dog
    {
        get
        {
            var path = Path.Combine(TestAssets.RepoRoot, "samples", "dog.jpg");
            Assert.True(File.Exists(path), $"samples/dog.jpg is missing at {path}; restore it from git.");
            return path;
        }
    }
}
