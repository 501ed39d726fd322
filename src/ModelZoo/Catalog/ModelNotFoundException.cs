namespace ModelZoo.Catalog;

/// <summary>A handle names no card in the catalog. The message suggests the closest handle, when one is near.</summary>
public sealed class ModelNotFoundException : ZooException
{
    /// <summary>Creates the error for <paramref name="handle"/>, optionally naming the closest existing handle.</summary>
    public ModelNotFoundException(string handle, string? suggestion)
        : base(ZooErrors.ModelNotFound, suggestion is null
            ? $"no model '{handle}' in the catalog; run `zoo list` to see the available handles."
            : $"no model '{handle}' in the catalog; did you mean '{suggestion}'? run `zoo list` to see the available handles.")
    {
        Handle = handle;
        Suggestion = suggestion;
    }

    /// <summary>The handle that was asked for.</summary>
    public string Handle { get; }

    /// <summary>The closest existing handle by edit distance, or null when none is close.</summary>
    public string? Suggestion { get; }
}
