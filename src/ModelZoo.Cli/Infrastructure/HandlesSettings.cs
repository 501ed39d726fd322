namespace ModelZoo.Cli.Infrastructure;

/// <summary>Options of the store commands that act on one or more named models (<c>zoo pull</c>, <c>zoo rm</c>).</summary>
public sealed class HandlesSettings : ZooCommandSettings
{
    /// <summary>The models' handles.</summary>
    [CommandArgument(0, "<HANDLE>"), Description("One or more model handles.")]
    public string[] Handles { get; init; } = [];
}
