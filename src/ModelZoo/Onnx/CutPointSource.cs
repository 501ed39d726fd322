namespace ModelZoo.Onnx;

/// <summary>Where the tensor a headless cut was made at came from.</summary>
public enum CutPointSource
{
    /// <summary>Found by walking back over the classifier's head.</summary>
    Detected,

    /// <summary>Named by the caller.</summary>
    Requested,

    /// <summary>Declared by the model card (<see cref="Catalog.OutputSpec.FeatureTensor"/>).</summary>
    Card,
}
