using ModelZoo.Store;

namespace ModelZoo.Tests.Store;

public sealed class ManifestResourceReaderTests
{
    [Fact]
    public void Extract_ReadsEmbeddedResourceFromAssemblyBytes()
    {
        using var home = new StoreSandbox();
        var destination = Path.Combine(home.Root, "resource.bin");

        ManifestResourceReader.Extract(typeof(ManifestResourceReaderTests).Assembly.Location, "tests", EmbeddedSample.ResourceName,
            destination, maxBytes: 1 << 20);

        var expected = EmbeddedSample.Bytes();
        Assert.Equal(3000, expected.Length);
        Assert.Equal(expected, System.IO.File.ReadAllBytes(destination));
    }

    [Fact]
    public void Extract_UnknownResource_ListsTheOnesThatExist()
    {
        using var home = new StoreSandbox();

        var error = Assert.Throws<ZooException>(() => ManifestResourceReader.Extract(
            typeof(ManifestResourceReaderTests).Assembly.Location, "tests", "No.Such.Resource", Path.Combine(home.Root, "x"), 1 << 20));

        Assert.Equal("not-in-package", error.Code);
        Assert.Contains(EmbeddedSample.ResourceName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_ResourceOverTheCap_IsRejected()
    {
        using var home = new StoreSandbox();

        Assert.Throws<UnsafeArchiveException>(() => ManifestResourceReader.Extract(
            typeof(ManifestResourceReaderTests).Assembly.Location, "tests", EmbeddedSample.ResourceName, Path.Combine(home.Root, "x"), 100));
    }

    [Fact]
    public void Extract_NotAnAssembly_SaysSo()
    {
        using var home = new StoreSandbox();
        var fake = Path.Combine(home.Root, "fake.dll");
        System.IO.File.WriteAllBytes(fake, StoreFixtures.Bytes(4096, 41));

        var error = Assert.Throws<ZooException>(() =>
            ManifestResourceReader.Extract(fake, "fake", "R", Path.Combine(home.Root, "x"), 1 << 20));

        Assert.Equal("bad-assembly", error.Code);
    }
}
