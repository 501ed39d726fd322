namespace ModelZoo.Import.Darknet;

/// <summary>A Darknet cfg or weights file cannot be read: a cfg value is missing or out of range, a layer is not one
/// the importer translates (<see cref="LayerType"/> and <see cref="Line"/> say which), or the weights file is truncated
/// or does not belong to the cfg.</summary>
public sealed class DarknetModelException : ZooException
{
    /// <summary>Creates the error; <paramref name="message"/> is one sentence that ends with what to do next.</summary>
    public DarknetModelException(string code, string path, string message, Exception? inner = null)
        : base(code, message, inner)
    {
        FilePath = path;
    }

    /// <summary>Error code of a cfg or weights file that cannot be read.</summary>
    public const string InvalidCode = "darknet-invalid-model";

    /// <summary>Error code of a layer type or layer option the importer does not translate.</summary>
    public const string UnsupportedCode = "darknet-unsupported-layer";

    /// <summary>The cfg or weights file at fault.</summary>
    public string FilePath { get; }

    /// <summary>The cfg section's type (<c>[gru]</c>, …) when a layer is at fault.</summary>
    public string? LayerType { get; init; }

    /// <summary>The 1-based cfg line of the section (or option) at fault, when known.</summary>
    public int? Line { get; init; }
}
