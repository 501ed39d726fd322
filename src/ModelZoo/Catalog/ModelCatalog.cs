using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ModelZoo.Catalog;

/// <summary>
/// The set of model cards known by handle: the built-in cards embedded in this library plus, when loaded
/// with <see cref="Load"/>, the user's cards in <c>&lt;Home&gt;/catalog/*.json</c> (one card per file; trained or
/// imported models). A handle declared twice is an error, never a silent override. Instances are thread-safe.
/// </summary>
public sealed class ModelCatalog
{
    /// <summary>Name of the folder under <see cref="ZooSettings.Home"/> that holds user cards.</summary>
    public const string UserFolderName = "catalog";

    private const string BuiltinResourcePrefix = "ModelZoo.Catalog.Builtin.";
    private static readonly Lazy<IReadOnlyList<Entry>> BuiltinEntries = new(ReadBuiltin);

    private readonly object _gate = new();
    private Dictionary<string, Entry> _byHandle;
    private IReadOnlyList<ModelCard> _cards;

    private ModelCatalog(IEnumerable<Entry> entries)
    {
        _byHandle = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (_byHandle.TryGetValue(entry.Card.Handle, out var existing))
            {
                throw new DuplicateModelException(entry.Card.Handle, existing.Origin, entry.Origin,
                    entry.IsBuiltin ? "this is a bug in the built-in catalog; please report it." : "rename or remove one of the two cards.");
            }
            _byHandle.Add(entry.Card.Handle, entry);
        }
        _cards = Snapshot(_byHandle);
    }

    /// <summary>All cards, ordered by handle.</summary>
    public IReadOnlyList<ModelCard> Cards => Volatile.Read(ref _cards);

    /// <summary>A catalog holding only the cards embedded in this library.</summary>
    public static ModelCatalog LoadBuiltin() => new(BuiltinEntries.Value);

    /// <summary>The built-in cards plus every <c>*.json</c> card in <c>&lt;Home&gt;/catalog</c>.</summary>
    /// <exception cref="InvalidModelCardException">A user card is malformed or fails validation.</exception>
    /// <exception cref="DuplicateModelException">Two cards declare the same handle.</exception>
    public static ModelCatalog Load(ZooSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var folder = UserFolder(settings);
        var entries = new List<Entry>(BuiltinEntries.Value);
        if (Directory.Exists(folder))
        {
            foreach (var path in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
            {
                var card = ModelCardJson.Deserialize(File.ReadAllText(path), path);
                var problems = ModelCardValidator.ValidateUserCard(card);
                if (problems.Count > 0)
                {
                    throw new InvalidModelCardException(path, string.Join("; ", problems));
                }
                entries.Add(new Entry(card, path, IsBuiltin: false));
            }
        }
        return new ModelCatalog(entries);
    }

    /// <summary>Returns the card with this handle.</summary>
    /// <exception cref="ModelNotFoundException">No such handle; the message suggests the closest one.</exception>
    public ModelCard Get(string handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        if (TryGet(handle, out var card))
        {
            return card;
        }
        throw new ModelNotFoundException(handle, Suggest(handle));
    }

    /// <summary>Looks up a card by handle.</summary>
    public bool TryGet(string handle, [NotNullWhen(true)] out ModelCard? card)
    {
        ArgumentNullException.ThrowIfNull(handle);
        lock (_gate)
        {
            card = _byHandle.TryGetValue(handle, out var entry) ? entry.Card : null;
        }
        return card is not null;
    }

    /// <summary>The origin of a card: the embedded resource name of a built-in card, or the path of a user card file.</summary>
    public string? OriginOf(string handle)
    {
        lock (_gate)
        {
            return _byHandle.TryGetValue(handle, out var entry) ? entry.Origin : null;
        }
    }

    /// <summary>Whether the card with this handle is embedded in the library (as opposed to a user card).</summary>
    public bool IsBuiltin(string handle)
    {
        lock (_gate)
        {
            return _byHandle.TryGetValue(handle, out var entry) && entry.IsBuiltin;
        }
    }

    /// <summary>Cards matching every given filter, in handle order: the task; the licence's SPDX id (ignoring case);
    /// and text found (ignoring case) in the handle, title, description or tags.</summary>
    public IEnumerable<ModelCard> Find(ModelTask? task = null, string? license = null, string? text = null)
    {
        IEnumerable<ModelCard> result = Cards;
        if (task is { } t)
        {
            result = result.Where(c => c.Task == t);
        }
        if (!string.IsNullOrWhiteSpace(license))
        {
            result = result.Where(c => string.Equals(c.License.Spdx, license.Trim(), StringComparison.OrdinalIgnoreCase));
        }
        if (!string.IsNullOrWhiteSpace(text))
        {
            var needle = text.Trim();
            result = result.Where(c => Contains(c.Handle, needle) || Contains(c.Title, needle) || Contains(c.Description, needle)
                                       || c.Tags.Any(tag => Contains(tag, needle)));
        }
        return result;
    }

    /// <summary>
    /// Validates <paramref name="card"/>, writes it atomically to <c>&lt;Home&gt;/catalog/&lt;escaped handle&gt;.json</c>
    /// and adds it to this catalog. Returns the file's path.
    /// </summary>
    /// <exception cref="InvalidModelCardException">The card fails validation.</exception>
    /// <exception cref="DuplicateModelException">The handle is built in, or is a user card and <paramref name="overwrite"/> is false.</exception>
    public string Register(ModelCard card, ZooSettings settings, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(settings);
        var path = UserCardPath(settings, card.Handle);
        var problems = ModelCardValidator.ValidateUserCard(card);
        if (problems.Count > 0)
        {
            throw new InvalidModelCardException(path, string.Join("; ", problems));
        }
        lock (_gate)
        {
            if (_byHandle.TryGetValue(card.Handle, out var existing))
            {
                if (existing.IsBuiltin)
                {
                    throw new DuplicateModelException(card.Handle, existing.Origin, path, "built-in handles cannot be replaced; choose another handle.");
                }
                if (!overwrite)
                {
                    throw new DuplicateModelException(card.Handle, existing.Origin, path, "choose another handle or overwrite the existing card (ModelCatalog.Register with overwrite: true).");
                }
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            WriteAtomically(path, ModelCardJson.Serialize(card) + "\n");
            if (existing is not null && !existing.IsBuiltin && !PathsEqual(existing.Origin, path) && File.Exists(existing.Origin))
            {
                File.Delete(existing.Origin);
            }
            var next = new Dictionary<string, Entry>(_byHandle, StringComparer.Ordinal) { [card.Handle] = new Entry(card, path, IsBuiltin: false) };
            Publish(next);
        }
        return path;
    }

    /// <summary>
    /// Adds <paramref name="card"/> to this catalog only, writing nothing: a host that serves a model file for one run
    /// gives it a card this way. <paramref name="origin"/> (the file's path) is what <see cref="OriginOf"/> reports.
    /// </summary>
    /// <exception cref="InvalidModelCardException">The card fails validation.</exception>
    /// <exception cref="DuplicateModelException">A card with this handle is already in the catalog.</exception>
    public void Include(ModelCard card, string origin)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentException.ThrowIfNullOrEmpty(origin);
        var problems = ModelCardValidator.ValidateUserCard(card);
        if (problems.Count > 0)
        {
            throw new InvalidModelCardException(origin, string.Join("; ", problems));
        }
        lock (_gate)
        {
            if (_byHandle.TryGetValue(card.Handle, out var existing))
            {
                throw new DuplicateModelException(card.Handle, existing.Origin, origin,
                    "give the model file another handle (ModelCard.Handle), or use the card already registered under it.");
            }
            Publish(new Dictionary<string, Entry>(_byHandle, StringComparer.Ordinal) { [card.Handle] = new Entry(card, origin, IsBuiltin: false) });
        }
    }

    /// <summary>Removes a user card (its file and its entry). Returns false when no user card has this handle.</summary>
    /// <exception cref="ZooUsageException">The handle is a built-in card.</exception>
    public bool Unregister(string handle, ZooSettings settings)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentNullException.ThrowIfNull(settings);
        lock (_gate)
        {
            string path;
            if (_byHandle.TryGetValue(handle, out var entry))
            {
                if (entry.IsBuiltin)
                {
                    throw new ZooUsageException($"'{handle}' is a built-in model and cannot be unregistered; only cards you registered can be removed.");
                }
                path = entry.Origin;
            }
            else if (ModelCardValidator.IsValidHandle(handle))
            {
                path = UserCardPath(settings, handle);
            }
            else
            {
                return false;
            }
            var existed = File.Exists(path);
            if (existed)
            {
                File.Delete(path);
            }
            if (entry is null)
            {
                return existed;
            }
            var next = new Dictionary<string, Entry>(_byHandle, StringComparer.Ordinal);
            next.Remove(handle);
            Publish(next);
            return true;
        }
    }

    /// <summary>The file name a user card with this handle is stored under: the handle with '/' replaced by '+', plus
    /// <c>.json</c> ('+' cannot occur in a handle, so distinct handles give distinct names).</summary>
    public static string FileNameOf(string handle)
    {
        if (!ModelCardValidator.IsValidHandle(handle))
        {
            throw new ZooUsageException($"'{handle}' is not a valid model handle; use lower-case segments separated by '/', e.g. user/flowers/classifier.");
        }
        return handle.Replace('/', '+') + ".json";
    }

    /// <summary>The folder holding user cards.</summary>
    public static string UserFolder(ZooSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Path.Combine(settings.Home, UserFolderName);
    }

    private static string UserCardPath(ZooSettings settings, string handle) => Path.Combine(UserFolder(settings), FileNameOf(handle));

    private void Publish(Dictionary<string, Entry> next)
    {
        _byHandle = next;
        Volatile.Write(ref _cards, Snapshot(next));
    }

    private static IReadOnlyList<ModelCard> Snapshot(Dictionary<string, Entry> entries) =>
        entries.Values.Select(e => e.Card).OrderBy(c => c.Handle, StringComparer.Ordinal).ToArray().AsReadOnly();

    private string? Suggest(string handle)
    {
        var wanted = handle.Trim().ToLowerInvariant();
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in Cards.Select(c => c.Handle))
        {
            var distance = EditDistance.Between(wanted, candidate);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }
        // Suggest only what is plausibly a typo: at most a third of the longer string differs (and at least 3 edits are allowed).
        var allowed = best is null ? 0 : Math.Max(3, Math.Max(wanted.Length, best.Length) / 3);
        return best is not null && bestDistance <= allowed ? best : null;
    }

    private static bool Contains(string? haystack, string needle) =>
        haystack is not null && haystack.Contains(needle, StringComparison.OrdinalIgnoreCase);

    private static bool PathsEqual(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    private static void WriteAtomically(string path, string text)
    {
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private static IReadOnlyList<Entry> ReadBuiltin()
    {
        var assembly = typeof(ModelCatalog).Assembly;
        var entries = new List<Entry>();
        foreach (var name in assembly.GetManifestResourceNames()
                     .Where(n => n.StartsWith(BuiltinResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            entries.Add(new Entry(ModelCardJson.Deserialize(reader.ReadToEnd(), name), name, IsBuiltin: true));
        }
        return entries;
    }

    private sealed record Entry(ModelCard Card, string Origin, bool IsBuiltin);
}
