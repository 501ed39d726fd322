namespace ModelZoo.Tests.Store;

/// <summary>The small file the test project embeds as a manifest resource, read back from the test assembly's bytes.</summary>
internal static class EmbeddedSample
{
    public const string ResourceName = "ModelZoo.Tests.Store.Fixtures.embedded-sample.bin";

    /// <summary>The resource's bytes as the runtime sees them (an independent reference for the reader).</summary>
    public static byte[] Bytes()
    {
        using var stream = typeof(EmbeddedSample).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The test assembly lacks the resource {ResourceName}; check ModelZoo.Tests.csproj.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
