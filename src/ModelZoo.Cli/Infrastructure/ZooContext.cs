using ModelZoo.Store;

namespace ModelZoo.Cli.Infrastructure;

/// <summary>
/// What every command needs: settings read once, the catalog and store built on first use, a console
/// for tables and progress, and a plain writer for machine-readable output (JSON, CSV) that must never be
/// wrapped or decorated.
/// </summary>
/// <param name="settings">Store location, offline flag, registries.</param>
/// <param name="console">Human-readable output (tests pass in-memory consoles).</param>
/// <param name="status">Progress bars, warnings and errors.</param>
/// <param name="output">Machine-readable output.</param>
public sealed class ZooContext(ZooSettings settings, IAnsiConsole console, IAnsiConsole status, TextWriter output) : IDisposable
{
    private ModelCatalog? _catalog;
    private ModelStore? _store;

    /// <summary>Store location, offline flag, registries.</summary>
    public ZooSettings Settings { get; } = settings;

    /// <summary>Human-readable output (tables, panels).</summary>
    public IAnsiConsole Console { get; } = console;

    /// <summary>Progress bars, warnings and errors (standard error).</summary>
    public IAnsiConsole Status { get; } = status;

    /// <summary>Machine-readable output, written verbatim.</summary>
    public TextWriter Output { get; } = output;

    /// <summary>Built-in plus user catalog.</summary>
    public ModelCatalog Catalog => _catalog ??= ModelCatalog.Load(Settings);

    /// <summary>The verified model store.</summary>
    public ModelStore Store => _store ??= new ModelStore(Settings);

    /// <summary>Forgets the loaded catalog so that a newly registered card is seen.</summary>
    public void ReloadCatalog() => _catalog = null;

    /// <inheritdoc />
    public void Dispose() => _store?.Dispose();
}
