namespace ModelZoo.Catalog;

/// <summary>Channel order a model expects.</summary>
[CatalogNames(UpperCase = true)]
public enum ColorOrder
{
    /// <summary>Red, green, blue.</summary>
    Rgb,
    /// <summary>Blue, green, red (Caffe, CNTK, OpenCV-trained models).</summary>
    Bgr,
    /// <summary>One luminance channel.</summary>
    Gray,
}
