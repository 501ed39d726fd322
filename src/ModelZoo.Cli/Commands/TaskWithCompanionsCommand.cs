namespace ModelZoo.Cli.Commands;

/// <summary>An image-task verb whose task takes companion models (<c>zoo faces --attributes</c>); otherwise the same
/// as <see cref="TaskCommand"/>.</summary>
public sealed class TaskWithCompanionsCommand(ZooContext context) : AsyncCommand<TaskWithCompanionsCommand.Settings>
{
    /// <summary>The vision options plus the companion models.</summary>
    public sealed class Settings : VisionTaskSettings
    {
        /// <summary>Companion models run on each result.</summary>
        [CommandOption("--attributes <HANDLE>"), Description("A face-attributes model (age, gender, emotion) to run on each face; repeat for several.")]
        public string[] Attributes { get; init; } = [];
    }

    /// <inheritdoc />
    public override Task<int> ExecuteAsync(CommandContext commandContext, Settings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commandContext);
        ArgumentNullException.ThrowIfNull(settings);
        return TaskCommands.DescriptorOf(commandContext).Accept(new TaskCommandRun(context, settings, settings.Attributes, cancellationToken));
    }
}
