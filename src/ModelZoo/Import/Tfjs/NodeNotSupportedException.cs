namespace ModelZoo.Import.Tfjs;

/// <summary>Raised inside a converter when a node's settings cannot be translated; the importer collects these
/// into one <see cref="UnsupportedOperatorsException"/>.</summary>
internal sealed class NodeNotSupportedException(string reason) : Exception(reason)
{
    public string Reason { get; } = reason;
}
