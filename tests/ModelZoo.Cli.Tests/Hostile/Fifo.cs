using System.Diagnostics;

namespace ModelZoo.Cli.Tests.Hostile;

/// <summary>Named pipes for the hostile corpus: a reader that opens one waits for a writer that never comes.</summary>
internal static class Fifo
{
    /// <summary>Replaces <paramref name="path"/> with a FIFO (Linux and macOS, through <c>mkfifo</c>).</summary>
    public static void Replace(string path)
    {
        File.Delete(path);
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("mkfifo could not be started.");
        mkfifo.WaitForExit();
        Assert.True(mkfifo.ExitCode == 0 && File.Exists(path), $"mkfifo {path} failed (exit {mkfifo.ExitCode}).");
    }
}
