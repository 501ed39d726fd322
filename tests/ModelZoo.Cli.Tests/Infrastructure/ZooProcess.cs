using System.Diagnostics;

namespace ModelZoo.Cli.Tests.Infrastructure;

/// <summary>Runs the built <c>zoo</c> as its own process, as a user's shell would: real standard output and error
/// (where native libraries write too) and an environment the test controls.</summary>
public static class ZooProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string All => Stdout + Stderr;
    }

    /// <summary>The CLI assembly the test project was built against (copied next to the tests with its runtime config).</summary>
    public static string ZooDll
    {
        get
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "zoo.dll");
            Assert.True(File.Exists(dll) && File.Exists(Path.Combine(AppContext.BaseDirectory, "zoo.runtimeconfig.json")),
                $"zoo.dll and zoo.runtimeconfig.json are missing from {AppContext.BaseDirectory}: build tests/ModelZoo.Tests");
            return dll;
        }
    }

    /// <summary>Runs <c>dotnet zoo.dll ARGS</c> in <paramref name="workingDirectory"/>; <paramref name="environment"/>
    /// entries replace variables (a null value removes one).</summary>
    public static Result Run(string workingDirectory, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout, params string[] args)
    {
        var dotnet = ZooSettings.FromEnvironment().DotnetCommand;
        Assert.False(dotnet is null, "no dotnet on PATH");
        var info = new ProcessStartInfo(dotnet!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(ZooDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"zoo {string.Join(' ', args)} did not finish in {timeout}; output so far: {stderr.Result}");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Every npm and zoo registry variable, removed: the process sees npm's and NuGet's defaults only.</summary>
    public static Dictionary<string, string?> WithoutRegistryVariables()
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [ZooSettings.NpmRegistryVariable] = null,
            [ZooSettings.NuGetSourceVariable] = null,
            [ZooSettings.OfflineVariable] = null,
        };
        foreach (var name in Environment.GetEnvironmentVariables().Keys.OfType<string>())
        {
            if (name.StartsWith("npm_config_", StringComparison.OrdinalIgnoreCase))
            {
                env[name] = null;
            }
        }
        return env;
    }
}
