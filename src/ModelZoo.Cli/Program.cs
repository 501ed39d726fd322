using Spectre.Console.Cli;

namespace ModelZoo.Cli;

/// <summary>Entry point of the <c>zoo</c> command.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns its exit code.</summary>
    public static int Main(string[] args)
    {
        var app = new CommandApp();
        app.Configure(config => config.SetApplicationName("zoo"));
        return app.Run(args);
    }
}
