namespace ModelZoo.Import.Tfjs;

/// <summary>Options for <see cref="TfjsImporter"/>.</summary>
public sealed record TfjsImportOptions
{
    /// <summary>When set, an unknown (-1) leading dimension of every graph input becomes this fixed batch size; when
    /// null (the default) it stays symbolic (<c>batch</c>) and the model runs at any batch size the graph allows.</summary>
    public int? BatchSize { get; init; }

    /// <summary>When true (the default), the TFJS metadata (<c>generatedBy</c>, <c>convertedBy</c>, source file name and
    /// SHA-256) is written into the ONNX model's <c>metadata_props</c>.</summary>
    public bool WriteMetadata { get; init; } = true;
}
