namespace ModelZoo.Runtime;

/// <summary>The device names users write (<c>--device</c>, <c>ZOO_DEVICE</c>) and the execution provider each selects.</summary>
public static class ExecutionProviderNames
{
    /// <summary>The names accepted, in the order the help lists them.</summary>
    public static IReadOnlyList<string> All { get; } = ["cpu", "cuda"];

    /// <summary>The provider <paramref name="name"/> selects (case-insensitive).</summary>
    /// <param name="name">A device name: <c>cpu</c> or <c>cuda</c>.</param>
    /// <param name="source">Where the name came from (<c>--device</c>, <c>ZOO_DEVICE</c>), for the error.</param>
    /// <exception cref="ZooUsageException">The name is not a device.</exception>
    public static ExecutionProvider Parse(string name, string source)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "cpu" => ExecutionProvider.Cpu,
            "cuda" => ExecutionProvider.Cuda,
            _ => throw new ZooUsageException($"{source} '{name}' is not a device; use cpu or cuda."),
        };
    }

    /// <summary>The name of <paramref name="provider"/> as users write it.</summary>
    public static string NameOf(ExecutionProvider provider) => provider == ExecutionProvider.Cuda ? "cuda" : "cpu";
}
