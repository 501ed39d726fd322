using System.Collections.Concurrent;
using System.Diagnostics;

namespace ModelZoo.Store;

/// <summary>
/// Asks a package tool (npm, dotnet) for a configuration value, once per process: the only place the library
/// starts another program, so that a registry nobody wrote down is still the one the user's tools use.
/// </summary>
internal static class PackageToolQuery
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly ConcurrentDictionary<string, Lazy<string?>> Answers = new(StringComparer.Ordinal);

    /// <summary>Standard output of <paramref name="tool"/> run with <paramref name="arguments"/> in
    /// <paramref name="workingDirectory"/>, or null when it cannot start, fails or takes too long.</summary>
    public static string? Run(string tool, IReadOnlyList<string> arguments, string? workingDirectory)
    {
        var key = string.Join('\0', [tool, workingDirectory ?? "", .. arguments]);
        return Answers.GetOrAdd(key, _ => new Lazy<string?>(() => Start(tool, arguments, workingDirectory))).Value;
    }

    private static string? Start(string tool, IReadOnlyList<string> arguments, string? workingDirectory)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        if (workingDirectory is not null && Directory.Exists(workingDirectory))
        {
            info.WorkingDirectory = workingDirectory;
        }
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["NO_UPDATE_NOTIFIER"] = "1";
        try
        {
            using var process = Process.Start(info);
            if (process is null)
            {
                return null;
            }
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }
            process.WaitForExit();
            return process.ExitCode == 0 ? output.GetAwaiter().GetResult().Trim() : null;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return null;
        }
    }
}
