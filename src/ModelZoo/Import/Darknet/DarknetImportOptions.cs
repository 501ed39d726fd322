namespace ModelZoo.Import.Darknet;

/// <summary>Options for <see cref="DarknetImporter"/>.</summary>
public sealed record DarknetImportOptions
{
    /// <summary>When true (the default), the cfg name and the weights header are written into the ONNX model's
    /// <c>metadata_props</c>.</summary>
    public bool WriteMetadata { get; init; } = true;
}
