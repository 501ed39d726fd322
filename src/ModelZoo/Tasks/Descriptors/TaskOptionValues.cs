using System.Collections.Frozen;

namespace ModelZoo.Tasks;

/// <summary>
/// A neutral set of option values by name (see <see cref="TaskOptionKeys"/>), as a host received them: strings, or
/// already-typed numbers. A task descriptor turns it into its typed options record, starting from its defaults, so a
/// default lives in one place (the options record) whatever the host. Read-only once built; thread-safe.
/// </summary>
public sealed class TaskOptionValues
{
    private readonly FrozenDictionary<string, string> _values;

    /// <summary>A set holding <paramref name="values"/> (names compare ordinally; a null value counts as unset).</summary>
    public TaskOptionValues(IEnumerable<KeyValuePair<string, string?>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = values.Where(v => v.Value is not null)
            .ToFrozenDictionary(v => v.Key, v => v.Value!, StringComparer.Ordinal);
    }

    /// <summary>No values: every option keeps its task's default.</summary>
    public static TaskOptionValues Empty { get; } = new([]);

    /// <summary>A set with a score threshold and a result cap, either of which may be unset.</summary>
    public static TaskOptionValues Of(float? minScore = null, int? top = null) => new(
    [
        new(TaskOptionKeys.MinScore, minScore?.ToString("R", CultureInfo.InvariantCulture)),
        new(TaskOptionKeys.Top, top?.ToString(CultureInfo.InvariantCulture)),
    ]);

    /// <summary>The names that have a value.</summary>
    public IReadOnlyCollection<string> Keys => _values.Keys;

    /// <summary>The raw value of <paramref name="key"/>, or null when unset.</summary>
    public string? this[string key] => _values.GetValueOrDefault(key);

    /// <summary>The value of <paramref name="key"/> as a number, or null when unset.</summary>
    /// <exception cref="ZooUsageException">The value is not a finite number.</exception>
    public float? Float(string key)
    {
        if (this[key] is not { } text)
        {
            return null;
        }
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !float.IsFinite(value))
        {
            throw new ZooUsageException($"option {key} must be a number, got '{text}'; pass a value such as 0.5.");
        }
        return value;
    }

    /// <summary>The value of <paramref name="key"/> as a whole number, or null when unset.</summary>
    /// <exception cref="ZooUsageException">The value is not a whole number.</exception>
    public int? Int(string key)
    {
        if (this[key] is not { } text)
        {
            return null;
        }
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            throw new ZooUsageException($"option {key} must be a whole number, got '{text}'; pass a value such as 5.");
        }
        return value;
    }

    /// <summary>The value of <paramref name="key"/> as true/false (also 1/0), or null when unset.</summary>
    /// <exception cref="ZooUsageException">The value is not a boolean.</exception>
    public bool? Bool(string key) => this[key] switch
    {
        null => null,
        "1" => true,
        "0" => false,
        var text when bool.TryParse(text, out var value) => value,
        var text => throw new ZooUsageException($"option {key} must be true or false, got '{text}'; pass true or false."),
    };
}
