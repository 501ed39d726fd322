
namespace ModelZoo.Tasks;

/// <summary>One property of a <see cref="ResultSchema.Object"/>: its name, its schema and whether results may leave it out.</summary>
public readonly record struct ResultSchemaProperty(string Name, JsonObject Schema, bool Optional);
