using SkiaSharp;

namespace ModelZoo.Tasks;

/// <summary>
/// What one task draws over an image: a pixel pass (mask tints) before any stroke, strokes on the canvas, and the
/// label tags <see cref="Annotator"/> places so that they cover no other tag. Each task keeps its layer in its own
/// folder and returns it from <see cref="TaskDescriptor{TResult, TOptions}.Annotate"/>.
/// </summary>
public interface IAnnotationLayer
{
    /// <summary>Changes pixels before anything is stroked (masks tint here); nothing by default.</summary>
    void Tint(SKBitmap bitmap)
    {
    }

    /// <summary>Strokes the layer's shapes (boxes, skeletons, landmarks), weakest first.</summary>
    void Draw(SKCanvas canvas, AnnotationStyle style);

    /// <summary>The label tags this layer wants placed, in the results' order.</summary>
    IEnumerable<AnnotationTag> Tags(AnnotationStyle style);
}
