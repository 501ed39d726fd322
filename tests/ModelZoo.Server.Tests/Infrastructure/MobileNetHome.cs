using ModelZoo.Tests;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Server.Tests.Infrastructure;

/// <summary>
/// One ZOO_HOME per test run holding the catalog's MobileNet v2 int8 classifier, pulled once through its real
/// download path from a loopback stand-in for the public host. Servers then run offline against it.
/// </summary>
public sealed class MobileNetHome : IAsyncLifetime
{
    private readonly TempHome _home = new();

    /// <summary>The classifier's handle.</summary>
    public const string Handle = MobileNetStore.Handle;

    /// <summary>Offline settings over the pulled store.</summary>
    public ZooSettings Settings => _home.Settings(offline: true);

    /// <summary>The darknet dog photo committed in <c>samples/</c>.</summary>
    public static string DogPhoto
    {
        get
        {
            var path = Path.Combine(TestAssets.RepoRoot, "samples", "dog.jpg");
            Assert.True(File.Exists(path), $"samples/dog.jpg is missing at {path}; restore it from git.");
            return path;
        }
    }

    /// <inheritdoc />
    public async Task InitializeAsync() => await MobileNetStore.PullAsync(_home.Settings());

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        _home.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>Tests that share the pulled MobileNet.</summary>
[CollectionDefinition(Name)]
public sealed class MobileNetCollection : ICollectionFixture<MobileNetHome>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "MobileNet server";
}
