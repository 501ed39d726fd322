using SkiaSharp;

namespace ModelZoo.Tasks;

/// <summary>A label tag a layer wants drawn near <paramref name="Anchor"/>.</summary>
/// <param name="Text">The tag's text.</param>
/// <param name="Score">Orders tags: the strongest gets the best spot and is drawn last.</param>
/// <param name="Anchor">The box the tag belongs to.</param>
/// <param name="Color">The tag's background.</param>
public sealed record AnnotationTag(string Text, float Score, BoundingBox Anchor, SKColor Color);
