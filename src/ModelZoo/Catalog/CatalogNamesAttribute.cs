using System.Text.Json.Serialization;

namespace ModelZoo.Catalog;

/// <summary>
/// Gives a catalog enum its JSON names from its member names in kebab case (<c>ImageClassification</c> is
/// <c>image-classification</c>; with <see cref="UpperCase"/>, <c>Nchw</c> is <c>NCHW</c>), so that a card's vocabulary is
/// written once, as the members, and cannot drift from a second list of strings. A member whose name does not follow the
/// rule carries a <see cref="JsonStringEnumMemberNameAttribute"/> of its own, which wins.
/// </summary>
[AttributeUsage(AttributeTargets.Enum)]
public sealed class CatalogNamesAttribute : JsonConverterAttribute
{
    /// <summary>Upper-case names (channel orders and layouts are written as in ONNX and the papers: <c>RGB</c>, <c>NCHW</c>).</summary>
    public bool UpperCase { get; init; }

    /// <inheritdoc />
    public override JsonConverter CreateConverter(Type typeToConvert) =>
        new JsonStringEnumConverter(UpperCase ? JsonNamingPolicy.KebabCaseUpper : JsonNamingPolicy.KebabCaseLower);
}
