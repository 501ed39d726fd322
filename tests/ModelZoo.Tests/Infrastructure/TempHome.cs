namespace ModelZoo.Tests.Infrastructure;

/// <summary>A throw-away ZOO_HOME for one test.</summary>
public sealed class TempHome : IDisposable
{
    public TempHome()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "zoo-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Settings as the CLI reads them from the environment, over this home.</summary>
    public ZooSettings Settings(bool offline = false) => ZooSettings.FromEnvironment() with { Home = Path, Offline = offline };

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still mapped by a native session on some platforms; the temp folder is cleaned by the OS.
        }
    }
}
