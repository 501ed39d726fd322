namespace ModelZoo.Import.Tfjs;

/// <summary>A signature entry: the public name, the graph reference it stands for (<c>node</c> or <c>node:k</c>),
/// and the dtype and shape when the signature states them.</summary>
internal sealed record TfjsTensorSpec(string Name, string Reference, string? DType, long[]? Shape);
