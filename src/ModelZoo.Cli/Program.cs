namespace ModelZoo.Cli;

/// <summary>Entry point of the <c>zoo</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns its exit code.</summary>
    public static int Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        var stdout = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        var stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        // A pipe has no width of its own: honour the shell's COLUMNS, as other terminal tools do.
        if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0)
        {
            stdout.Profile.Width = columns;
            stderr.Profile.Width = columns;
        }
        ZooSettings settings;
        try
        {
            settings = ZooSettings.FromEnvironment();
        }
        catch (ZooException ex)
        {
            stderr.MarkupLine($"[bold red]error:[/] {Markup.Escape(ex.Message)}");
            return ex.ExitCode;
        }
        using var context = new ZooContext(settings, stdout, stderr, Console.Out);
        return ZooApp.Run(args, context, cancel.Token);
    }
}
