namespace ModelZoo.Catalog;

/// <summary>
/// The <c>metadata_props</c> keys through which an ONNX file written by the zoo describes itself,
/// so that the bare file, copied anywhere, runs as its card would: a model file given where a handle goes reads them
/// before it assumes anything. Written by <c>zoo train</c>, <c>zoo quantize</c>, <c>zoo headless</c> and <c>zoo import darknet</c>.
/// </summary>
public static class ModelMetadataKeys
{
    /// <summary>The task, by its card name (<c>image-classification</c>).</summary>
    public const string Task = "zoo.task";

    /// <summary>The class names, as a JSON array of strings in output order.</summary>
    public const string Labels = "zoo.labels";

    /// <summary>How many output classes come before the first of <see cref="Labels"/> (1 where a background class comes
    /// first), as a whole number; absent when none do.</summary>
    public const string LabelOffset = "zoo.label_offset";

    /// <summary>The card's <see cref="InputSpec"/> as card JSON: the input tensor, its size, how photos are resized and how
    /// pixels are scaled and normalised before they reach it.</summary>
    public const string Input = "zoo.input";

    /// <summary>The card's <see cref="OutputSpec"/> as card JSON: which output to read and, for detection, pose and other
    /// decoded tasks, the decoder and its constants (anchors, output tensor names).</summary>
    public const string Output = "zoo.output";

    /// <summary>The card's <see cref="LicenseInfo"/> as card JSON: the licence of the weights, with any restrictions
    /// (a derived model adds that its source's licence applies).</summary>
    public const string License = "zoo.license";
}
