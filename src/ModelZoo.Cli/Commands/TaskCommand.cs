namespace ModelZoo.Cli.Commands;

/// <summary>The image-task verbs (<c>zoo detect</c>, <c>pose</c>, <c>segment</c>, …): one command over the task
/// descriptor its verb was registered with (<see cref="TaskCommands.Register"/>).</summary>
public sealed class TaskCommand(ZooContext context) : AsyncCommand<VisionTaskSettings>
{
    /// <inheritdoc />
    public override Task<int> ExecuteAsync(CommandContext commandContext, VisionTaskSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commandContext);
        return TaskCommands.DescriptorOf(commandContext).Accept(new TaskCommandRun(context, settings, [], cancellationToken));
    }
}
