namespace ModelZoo.Cli.Commands;

/// <summary>Registers one verb per task descriptor that has one (<see cref="TaskRegistry.Commands"/>), in registration
/// order, each carrying its descriptor as the command's data.</summary>
public static class TaskCommands
{
    /// <summary>Adds the verbs of <paramref name="registry"/> to <paramref name="config"/>.</summary>
    public static void Register(IConfigurator config, TaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var descriptor in registry.Commands)
        {
            var info = descriptor.Command!;
            // A task with default companions runs them without asking; only optional companions get an option.
            var command = descriptor.CompanionTask is null || descriptor.DefaultCompanions.Count > 0
                ? config.AddCommand<TaskCommand>(info.Verb)
                : config.AddCommand<TaskWithCompanionsCommand>(info.Verb);
            command.WithDescription(info.Description).WithData(descriptor);
            if (info.Example is { } example)
            {
                command.WithExample([.. example]);
            }
        }
    }

    /// <summary>The descriptor a verb was registered with.</summary>
    internal static ITaskDescriptor DescriptorOf(CommandContext context) => context.Data as ITaskDescriptor
        ?? throw new InvalidOperationException($"command '{context.Name}' was registered without a task descriptor; register task verbs through TaskCommands.Register.");
}
