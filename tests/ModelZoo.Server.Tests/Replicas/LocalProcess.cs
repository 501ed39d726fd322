using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ModelZoo.Tests;

namespace ModelZoo.Server.Tests.Replicas;

/// <summary>A child process (a <c>zoo serve</c> replica, nginx) whose output is kept for failure messages.</summary>
internal sealed class LocalProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private LocalProcess(Process process)
    {
        _process = process;
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

    /// <summary><c>dotnet zoo.dll serve …</c> over <paramref name="home"/>, offline.</summary>
    public static LocalProcess Zoo(string home, params string[] args)
    {
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(TestAssets.RepoRoot, "src", "ModelZoo.Cli", "bin", tfm.Parent!.Name, tfm.Name, "zoo.dll");
        Assert.True(File.Exists(dll), $"the CLI is not built at {dll}; build tests/ModelZoo.Server.Tests (it references the CLI).");
        var start = new ProcessStartInfo("dotnet");
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["ZOO_HOME"] = home;
        start.Environment["ZOO_OFFLINE"] = "1";
        start.Environment["NO_COLOR"] = "1";
        return Start(start);
    }

    public static LocalProcess Start(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = new Process { StartInfo = start };
        var local = new LocalProcess(process);
        process.OutputDataReceived += (_, e) => local.Append(e.Data);
        process.ErrorDataReceived += (_, e) => local.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return local;
    }

    /// <summary>SIGKILL.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            // Bounded: a grandchild that inherited the output pipes would otherwise keep the wait open.
            _process.WaitForExit(TimeSpan.FromSeconds(30));
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
