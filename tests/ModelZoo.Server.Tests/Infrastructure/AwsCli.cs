using System.Diagnostics;
using System.ComponentModel;

namespace ModelZoo.Server.Tests.Infrastructure;

/// <summary>Runs the real AWS CLI (<c>aws</c> on PATH) with throw-away credentials and no config files.</summary>
public static class AwsCli
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(string accessKey, string secretKey, params string[] args)
    {
        var start = new ProcessStartInfo("aws")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }
        var empty = Path.Combine(Path.GetTempPath(), "zoo-aws-none-" + Guid.NewGuid().ToString("N"));
        start.Environment["AWS_ACCESS_KEY_ID"] = accessKey;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = secretKey;
        start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_CONFIG_FILE"] = empty;
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = empty;
        start.Environment["AWS_RETRY_MODE"] = "standard";
        start.Environment["AWS_MAX_ATTEMPTS"] = "1";
        start.Environment["AWS_PAGER"] = "";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(
                "the AWS CLI ('aws') is not on PATH; install it (scripts/install-test-deps.sh installs Debian's awscli) and rerun.", ex);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"aws {string.Join(' ', args)} did not finish within 2 minutes.");
            }
            return new Result(process.ExitCode, await output, await error);
        }
    }
}
