using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Google.Protobuf.Collections;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Onnx;

/// <summary>
/// A live dictionary view over a repeated <c>metadata_props</c> field: reads and writes go straight to
/// the protobuf list, so entry order is kept and there is nothing to copy back before saving.
/// </summary>
internal sealed class MetadataPropsView(RepeatedField<StringStringEntryProto> entries) : IDictionary<string, string>
{
    public string this[string key]
    {
        get => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No metadata entry '{key}'.");
        set
        {
            ArgumentNullException.ThrowIfNull(key);
            ArgumentNullException.ThrowIfNull(value);
            var index = IndexOf(key);
            if (index >= 0)
            {
                entries[index].Value = value;
            }
            else
            {
                entries.Add(new StringStringEntryProto { Key = key, Value = value });
            }
        }
    }

    public ICollection<string> Keys => entries.Select(e => e.Key).ToList();

    public ICollection<string> Values => entries.Select(e => e.Value).ToList();

    public int Count => entries.Count;

    public bool IsReadOnly => false;

    public void Add(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (IndexOf(key) >= 0)
        {
            throw new ArgumentException($"Metadata key '{key}' already exists.", nameof(key));
        }
        entries.Add(new StringStringEntryProto { Key = key, Value = value });
    }

    public void Add(KeyValuePair<string, string> item) => Add(item.Key, item.Value);

    public void Clear() => entries.Clear();

    public bool Contains(KeyValuePair<string, string> item) =>
        TryGetValue(item.Key, out var value) && value == item.Value;

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public void CopyTo(KeyValuePair<string, string>[] array, int arrayIndex)
    {
        foreach (var pair in this)
        {
            array[arrayIndex++] = pair;
        }
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() =>
        entries.Select(e => new KeyValuePair<string, string>(e.Key, e.Value)).GetEnumerator();

    public bool Remove(string key)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            return false;
        }
        entries.RemoveAt(index);
        return true;
    }

    public bool Remove(KeyValuePair<string, string> item) => Contains(item) && Remove(item.Key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var index = IndexOf(key);
        value = index >= 0 ? entries[index].Value : null;
        return index >= 0;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].Key == key)
            {
                return i;
            }
        }
        return -1;
    }
}
