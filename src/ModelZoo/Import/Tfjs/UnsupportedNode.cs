namespace ModelZoo.Import.Tfjs;

/// <summary>A graph node the importer cannot translate.</summary>
/// <param name="Op">The TensorFlow op, e.g. <c>NonMaxSuppressionV5</c>.</param>
/// <param name="Node">The node's name in the graph.</param>
/// <param name="Reason">Why: <c>no converter for this op</c>, or the attribute or input the converter cannot handle.</param>
public sealed record UnsupportedNode(string Op, string Node, string Reason);
