using ModelZoo.Batch;

namespace ModelZoo.Cli.Commands.Batch;

/// <summary><c>zoo batch collect</c>: merge the workers' results, each input once, and list the inputs with none.</summary>
public sealed class BatchCollectCommand(ZooContext context) : Command<BatchCollectCommand.Settings>
{
    /// <summary>Options.</summary>
    public sealed class Settings : ZooCommandSettings
    {
        /// <summary>Output folder.</summary>
        [CommandOption("--out <DIR>"), Description("The folder the workers (or shards) wrote to.")]
        public string Out { get; init; } = "";

        /// <summary>Merged file.</summary>
        [CommandOption("--into <FILE>"), Description("The merged JSON-lines file to write, one line per input, sorted by path.")]
        public string Into { get; init; } = "";

        /// <summary>Expected inputs.</summary>
        [CommandArgument(0, "[INPUT]"), Description("The job's inputs (files or folders), to list those without a result.")]
        public string[] Inputs { get; init; } = [];

        /// <inheritdoc />
        public override ValidationResult Validate() => OptionRules.FirstError(base.Validate,
            (string.IsNullOrWhiteSpace(Out) || string.IsNullOrWhiteSpace(Into), "--out DIR and --into FILE are both required."));
    }

    /// <inheritdoc />
    public override int Execute(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        var expected = settings.Inputs.Length == 0 ? [] : ImagePaths.Expand(settings.Inputs);
        var report = BatchCollector.Collect(settings.Out, settings.Into, expected);
        context.Console.MarkupLine($"collected {report.Written} result(s) into [bold]{Markup.Escape(Path.GetFullPath(settings.Into))}[/], dropped {report.Duplicates} duplicate(s) from redelivery");
        foreach (var path in report.Missing)
        {
            context.Output.WriteLine($"missing {path}");
        }
        if (report.Missing.Count > 0)
        {
            context.Console.MarkupLine($"[yellow]{report.Missing.Count} input(s) have no result[/]; see `zoo batch status --failed` for dead-lettered ones, or run more workers");
            return 1;
        }
        return 0;
    }
}
