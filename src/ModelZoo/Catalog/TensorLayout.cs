namespace ModelZoo.Catalog;

/// <summary>Memory layout of an image tensor.</summary>
[CatalogNames(UpperCase = true)]
public enum TensorLayout
{
    /// <summary>Batch, channels, height, width.</summary>
    Nchw,
    /// <summary>Batch, height, width, channels.</summary>
    Nhwc,
}
