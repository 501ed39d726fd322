namespace ModelZoo.Import.Darknet;

/// <summary>Options for <see cref="DarknetImporter"/>.</summary>
public sealed record DarknetImportOptions
{
    /// <summary>When true (the default), the cfg name and the weights header are written into the ONNX model's
    /// <c>metadata_props</c>.</summary>
    public bool WriteMetadata { get; init; } = true;

    /// <summary>Class names in the model's class order (Darknet's <c>.names</c> or <c>.list</c> file), written into the
    /// model's description so that it runs as a detector or classifier with no other input; as in libdarknet, names
    /// past the model's class count are not used. Null writes none.</summary>
    public IReadOnlyList<string>? Labels { get; init; }
}
