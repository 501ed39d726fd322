namespace ModelZoo.Catalog;

/// <summary>The licence of the model weights (not of this library).</summary>
public sealed record LicenseInfo
{
    /// <summary>SPDX identifier, e.g. <c>Apache-2.0</c>, <c>MIT</c>, <c>GPL-3.0-only</c>, <c>CC-BY-NC-4.0</c>.</summary>
    public required string Spdx { get; init; }

    /// <summary>Where the licence text can be read.</summary>
    public string? Url { get; init; }

    /// <summary>Restrictions a user must see before using the model, e.g. "non-commercial use only".</summary>
    public IReadOnlyList<string> Restrictions { get; init; } = [];
}
