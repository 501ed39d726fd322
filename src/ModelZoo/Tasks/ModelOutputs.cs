namespace ModelZoo.Tasks;

/// <summary>
/// Every output of one inference on one image, with what a decoder needs to interpret them: the card,
/// the model-input size and the map back to the original image. Decoders find tensors by name or by shape.
/// </summary>
internal sealed class ModelOutputs
{
    public ModelOutputs(IReadOnlyList<NamedTensor> tensors, ModelCard card, InputSpec spec, ImageTransform transform)
    {
        Tensors = tensors;
        Card = card;
        Spec = spec;
        Transform = transform;
    }

    /// <summary>Outputs in the model's order.</summary>
    public IReadOnlyList<NamedTensor> Tensors { get; }

    /// <summary>The model's card.</summary>
    public ModelCard Card { get; }

    /// <summary>The input spec the image was preprocessed with (its width and height are the model-input pixel space).</summary>
    public InputSpec Spec { get; }

    /// <summary>Model-input pixels to original-image pixels.</summary>
    public ImageTransform Transform { get; }

    /// <summary>Model input width in pixels.</summary>
    public int InputWidth => Spec.Width;

    /// <summary>Model input height in pixels.</summary>
    public int InputHeight => Spec.Height;

    /// <summary>The output named <paramref name="name"/>, or null.</summary>
    public NamedTensor? Find(string name) => Tensors.FirstOrDefault(t => t.Name == name);

    /// <summary>The first output whose name contains <paramref name="part"/> (ordinal, case-insensitive), or null.</summary>
    public NamedTensor? FindByNamePart(string part) =>
        Tensors.FirstOrDefault(t => t.Name.Contains(part, StringComparison.OrdinalIgnoreCase));

    /// <summary>The card's primary output (<c>output.name</c>), else the first output.</summary>
    public NamedTensor Primary => (Card.Output?.Name is { } name ? Find(name) : null) ?? Tensors[0];

    /// <summary>An error saying the outputs do not have the shapes <paramref name="decoder"/> expects.</summary>
    public ZooException ShapeError(string decoder, string expected) => new(ZooErrors.ModelOutputShape,
        $"'{Card.Handle}' has outputs {Describe()}, but decoder '{decoder}' expects {expected}; check output.decoder in the model card.");

    /// <summary>The single value of a model whose output is one number per image (age, a gender probability).</summary>
    internal float Scalar(string decoder) =>
        Primary.ElementCount == 1 ? Floats(Primary)[0] : throw ShapeError(decoder, "one output with a single value, e.g. [1, 1]");

    /// <summary>Outputs as <c>name[d0,d1,…]</c>.</summary>
    public string Describe() => string.Join(", ", Tensors.Select(t => $"{t.Name}[{string.Join(",", t.Shape)}]"));

    /// <summary>The elements of a numeric tensor as floats (a copy unless it already holds floats).</summary>
    public static float[] Floats(NamedTensor tensor) => tensor.Data switch
    {
        float[] f => f,
        double[] d => Array.ConvertAll(d, v => (float)v),
        long[] l => Array.ConvertAll(l, v => (float)v),
        int[] i => Array.ConvertAll(i, v => (float)v),
        byte[] b => Array.ConvertAll(b, v => (float)v),
        sbyte[] s => Array.ConvertAll(s, v => (float)v),
        bool[] b => Array.ConvertAll(b, v => v ? 1f : 0f),
        _ => throw new InvalidOperationException($"Output '{tensor.Name}' holds {tensor.Data.GetType().Name}, which is not numeric."),
    };
}
