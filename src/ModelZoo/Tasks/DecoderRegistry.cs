using System.Collections.Frozen;

namespace ModelZoo.Tasks;

/// <summary>
/// An explicit table from the decoder names model cards use (<c>output.decoder</c>) to the decoders of
/// one task. Entries are added by hand where the table is built, never discovered by reflection; a
/// duplicate name is a programming error.
/// </summary>
internal sealed class DecoderRegistry<TDecoder> where TDecoder : class
{
    private readonly FrozenDictionary<string, TDecoder> _byName;
    private readonly string _task;

    public DecoderRegistry(string task, IEnumerable<(string Name, TDecoder Decoder)> entries)
    {
        _task = task;
        var table = new Dictionary<string, TDecoder>(StringComparer.Ordinal);
        foreach (var (name, decoder) in entries)
        {
            if (!table.TryAdd(name, decoder))
            {
                throw new InvalidOperationException($"{task} decoder '{name}' is registered twice.");
            }
        }
        _byName = table.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Decoder names, sorted.</summary>
    public IReadOnlyList<string> Names => _byName.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The decoder a card names.</summary>
    /// <exception cref="ZooException">The card names no decoder or one this task does not have (code <c>decoder-unknown</c>).</exception>
    public TDecoder Get(Catalog.ModelCard card)
    {
        var name = card.Output?.Decoder;
        if (name is not null && _byName.TryGetValue(name, out var decoder))
        {
            return decoder;
        }
        var what = name is null ? "names no output decoder" : $"names output decoder '{name}'";
        throw ZooErrors.DecoderUnknown.Raise(
            $"the card of '{card.Handle}' {what}, which {_task} cannot decode; set output.decoder to one of {string.Join(", ", Names)}.");
    }

    /// <summary>True when <paramref name="name"/> is registered.</summary>
    public bool Contains(string? name) => name is not null && _byName.ContainsKey(name);
}
