namespace ModelZoo.Catalog;

/// <summary>One file a model needs, with where it comes from and how to check it.</summary>
public sealed record ModelFile
{
    /// <summary>Local file name inside the model's folder, e.g. <c>model.onnx</c>.</summary>
    public required string Name { get; init; }

    /// <summary>What the file is for: <c>model</c>, <c>preprocess</c>, <c>labels</c>, <c>vocab</c>, <c>weights</c>.</summary>
    public string Role { get; init; } = "model";

    /// <summary>Source URI (<c>nuget:</c>, <c>npm:</c>, <c>https:</c>, <c>hf:</c>, <c>file:</c>); see <see cref="ModelZoo.Store.ModelSource"/>.</summary>
    public required string Source { get; init; }

    /// <summary>Lower-case hex SHA-256 of the file's bytes.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Size in bytes.</summary>
    public required long Size { get; init; }
}
