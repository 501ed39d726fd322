using ModelZoo.Cli;
using ModelZoo.Cli.Infrastructure;
using Spectre.Console;

namespace ModelZoo.Cli.Tests.Infrastructure;

/// <summary>Runs the <c>zoo</c> command in-process with in-memory consoles.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Output, string Console, string Status)
    {
        /// <summary>Everything the user would see, with line wraps collapsed for robust matching.</summary>
        public string AllText => string.Join(' ', (Output + Console + Status).Split((char[])['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries));
    }

    public static Result Run(ZooSettings settings, params string[] args) => Run(settings, CancellationToken.None, args);

    /// <summary>Runs the command until it ends or <paramref name="ct"/> is cancelled (as Ctrl+C does).</summary>
    public static Result Run(ZooSettings settings, CancellationToken ct, params string[] args)
    {
        var console = new StringWriter();
        var status = new StringWriter();
        var output = new StringWriter();
        using var context = new ZooContext(settings, Make(console), Make(status), output);
        var exit = ZooApp.Run(args, context, ct);
        return new Result(exit, output.ToString(), console.ToString(), status.ToString());
    }

    private static IAnsiConsole Make(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 400;
        return console;
    }
}
