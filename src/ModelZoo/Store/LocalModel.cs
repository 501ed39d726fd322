namespace ModelZoo.Store;

/// <summary>A model whose files are all in the store, with the local path of each file by its card name.
/// Files sit side by side under their declared names, so formats that refer to siblings (a TFJS
/// <c>model.json</c> and its weight shards) work as published.</summary>
/// <param name="Card">The model's card.</param>
/// <param name="Files">Local path of each file, keyed by <see cref="ModelFile.Name"/>.</param>
public sealed record LocalModel(ModelCard Card, IReadOnlyDictionary<string, string> Files)
{
    /// <summary>Path of the card's model file (<see cref="ModelCard.ModelFile"/>).</summary>
    public string ModelPath => PathOf(Card.ModelFile.Name);

    /// <summary>Path of the file the card names <paramref name="fileName"/>.</summary>
    /// <exception cref="ZooUsageException">The card has no such file.</exception>
    public string PathOf(string fileName) =>
        Files.TryGetValue(fileName, out var path)
            ? path
            : throw new ZooUsageException(
                $"Model '{Card.Handle}' has no file named '{fileName}'; use one of: {string.Join(", ", Files.Keys)}.");
}
