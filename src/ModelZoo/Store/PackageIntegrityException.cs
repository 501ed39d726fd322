namespace ModelZoo.Store;

/// <summary>A package archive's hash differs from the integrity value its registry publishes
/// (npm <c>dist.integrity</c>, NuGet catalog <c>packageHash</c>), or the archive is damaged. The archive is not kept.</summary>
public sealed class PackageIntegrityException : ZooException
{
    /// <summary>The archive's hash differs from the one the registry publishes.</summary>
    public PackageIntegrityException(string package, string algorithm, string expected, string actual)
        : base(ZooErrors.PackageIntegrity,
            $"Package {package} has {algorithm} {actual} but its registry publishes {expected}; the archive was discarded: " +
            "retry, and if it fails again check that your registry or proxy serves unmodified packages.")
    {
        Package = package;
    }

    /// <summary>The archive cannot be read (corrupt compressed data, a truncated stream).</summary>
    public PackageIntegrityException(string package, Exception damage)
        : base(ZooErrors.PackageIntegrity,
            $"Package {package} is damaged ({damage.Message}); the cached archive was discarded: " +
            "retry, and if it fails again check that your registry or proxy serves unmodified packages.", damage)
    {
        Package = package;
    }

    /// <summary>The package as <c>name@version</c>.</summary>
    public string Package { get; }
}
