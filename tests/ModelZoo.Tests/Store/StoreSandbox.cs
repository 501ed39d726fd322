namespace ModelZoo.Tests.Store;

/// <summary>A fresh folder per test: <see cref="Store"/> is the store home, <see cref="Empty"/> a stand-in user profile
/// with no NuGet or npm configuration. Deleted on dispose.</summary>
internal sealed class StoreSandbox : IDisposable
{
    public StoreSandbox()
    {
        Root = Path.Combine(Path.GetTempPath(), "modelzoo-store-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Empty);
    }

    public string Root { get; }

    public string Store => Path.Combine(Root, "home");

    public string Empty => Path.Combine(Root, "profile");

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
