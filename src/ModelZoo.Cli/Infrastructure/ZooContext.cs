using ModelZoo.Catalog;
using ModelZoo.Store;

namespace ModelZoo.Cli.Infrastructure;

/// <summary>
/// What every command needs: settings read once, the catalog and store built on first use, a console
/// for tables and progress, and a plain writer for machine-readable output (JSON, CSV) that must never be
/// wrapped or decorated.
/// </summary>
public sealed class ZooContext : IDisposable
{
    private ModelCatalog? _catalog;
    private ModelStore? _store;

    /// <summary>Creates a context over explicit settings and outputs (tests pass in-memory writers).</summary>
    public ZooContext(ZooSettings settings, IAnsiConsole console, IAnsiConsole status, TextWriter output)
    {
        Settings = settings;
        Console = console;
        Status = status;
        Output = output;
    }

    /// <summary>Store location, offline flag, registries.</summary>
    public ZooSettings Settings { get; }

    /// <summary>Human-readable output (tables, panels).</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Progress bars, warnings and errors (standard error).</summary>
    public IAnsiConsole Status { get; }

    /// <summary>Machine-readable output, written verbatim.</summary>
    public TextWriter Output { get; }

    /// <summary>Built-in plus user catalog.</summary>
    public ModelCatalog Catalog => _catalog ??= ModelCatalog.Load(Settings);

    /// <summary>The verified model store.</summary>
    public ModelStore Store => _store ??= new ModelStore(Settings);

    /// <summary>Forgets the loaded catalog so that a newly registered card is seen.</summary>
    public void ReloadCatalog() => _catalog = null;

    /// <inheritdoc />
    public void Dispose() => _store?.Dispose();
}
