using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Cli.Tests.Hostile;

/// <summary>
/// Runs one hostile case of the model-file, card and training corpus through the CLI in-process, under a timeout so
/// that a hang fails the case instead of blocking the run, and checks that it ended in a clean error.
/// </summary>
internal static class ModelInputCorpus
{
    /// <summary>Generous for a loaded CI machine; every case here finishes in seconds when it does not hang.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>Runs <c>zoo ARGS</c>; fails when it has not finished within <see cref="Timeout"/> (then cancels it).</summary>
    public static CliRunner.Result Run(ZooSettings settings, params string[] args)
    {
        using var cts = new CancellationTokenSource();
        var run = Task.Run(() => CliRunner.Run(settings, cts.Token, args));
        if (!run.Wait(Timeout))
        {
            cts.Cancel();
            Assert.Fail($"zoo {string.Join(' ', args)} did not finish within {Timeout.TotalSeconds:0} s (a hang).");
        }
        return run.Result;
    }

    /// <summary>
    /// Exit code 1 or 2; exactly one <c>error:</c> line, with a next step after a ';'; no stack trace and no
    /// "unexpected error" anywhere; and every text of <paramref name="mentions"/> (case-insensitive) in the output.
    /// Returns the error line.
    /// </summary>
    public static string AssertCleanError(CliRunner.Result result, params string[] mentions)
    {
        var all = result.Output + result.Console + result.Status;
        Assert.True(result.ExitCode is 1 or 2, $"exit {result.ExitCode}, expected 1 or 2: {result.AllText}");
        Assert.DoesNotContain("   at ", all);
        Assert.DoesNotContain("unexpected error", all, StringComparison.OrdinalIgnoreCase);
        var errors = all.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.Single(errors);
        // Long messages wrap at the console width: the message runs from "error:" to the end of the text.
        var error = result.AllText[result.AllText.IndexOf("error:", StringComparison.Ordinal)..];
        Assert.True(error.Contains(';', StringComparison.Ordinal), $"the error names no next step: {error}");
        foreach (var mention in mentions)
        {
            Assert.True(result.AllText.Contains(mention, StringComparison.OrdinalIgnoreCase), $"'{mention}' not in: {error}");
        }
        return error;
    }
}
