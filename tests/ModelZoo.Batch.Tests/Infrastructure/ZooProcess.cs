using System.Diagnostics;
using System.Text;
using ModelZoo.Tests;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Batch.Tests.Infrastructure;

/// <summary>The built <c>zoo</c> CLI run as its own process (<c>dotnet zoo.dll …</c>), as a worker on another machine would
/// run, over the checkout's shared store and offline.</summary>
public sealed class ZooProcess : IDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private ZooProcess(Process process)
    {
        _process = process;
    }

    /// <summary>
    /// The processes' ZOO_HOME: the shared store's models without its user catalog (which other work on this checkout
    /// may fill with cards of its own), as links into <c>.cache/zoo-home</c>. Offline, the processes only read it.
    /// </summary>
    private static readonly Lazy<string> Home = new(() =>
    {
        var shared = SharedStore.Settings.Home;
        var home = Path.Combine(Path.GetTempPath(), "zoo-batch-home-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(home);
        foreach (var entry in Directory.EnumerateFileSystemEntries(shared))
        {
            var name = Path.GetFileName(entry);
            if (name is not ("catalog" or "locks" or "tmp") && Directory.Exists(entry))
            {
                Directory.CreateSymbolicLink(Path.Combine(home, name), entry);
            }
        }
        return home;
    });

    public static string ZooDll
    {
        get
        {
            // tests/ModelZoo.Batch.Tests/bin/<Configuration>/<tfm>/ → src/ModelZoo.Cli/bin/<Configuration>/<tfm>/zoo.dll
            var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var path = Path.Combine(TestAssets.RepoRoot, "src", "ModelZoo.Cli", "bin", tfm.Parent!.Name, tfm.Name, "zoo.dll");
            Assert.True(File.Exists(path), $"the CLI is not built at {path}; build tests/ModelZoo.Batch.Tests (it references the CLI).");
            return path;
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static ZooProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ZooDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["ZOO_HOME"] = Home.Value;
        start.Environment["ZOO_OFFLINE"] = "1";
        start.Environment["NO_COLOR"] = "1";
        start.Environment["COLUMNS"] = "400";
        var process = new Process { StartInfo = start };
        var zoo = new ZooProcess(process);
        process.OutputDataReceived += (_, e) => zoo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => zoo.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return zoo;
    }

    /// <summary>Runs to the end and returns the exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        using var zoo = Start(args);
        await zoo.WaitAsync(TimeSpan.FromMinutes(5));
        return (zoo.ExitCode, zoo.Output);
    }

    public async Task WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            Assert.Fail($"zoo did not finish within {timeout.TotalSeconds:0} s; it printed:\n{Output}");
        }
        // The asynchronous readers may still hold the last lines.
        _process.WaitForExit();
    }

    /// <summary>SIGKILL: no clean-up, no acknowledgements, a results line possibly half-written.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
