namespace ModelZoo.Server.InferenceProtocol;

/// <summary>
/// The Open Inference Protocol names a model in one URL path segment, but catalog handles contain '/'. A v2 name is
/// the handle with every '/' replaced by '~' (<c>imagenet/mobilenet_v2_int8/classification</c> ⇄
/// <c>imagenet~mobilenet_v2_int8~classification</c>). Handle segments are <c>[a-z0-9._-]</c>, so '~' never occurs in a
/// handle and the mapping is reversible; '~' is an unreserved URI character, so clients never percent-encode it.
/// </summary>
internal static class V2ModelNames
{
    /// <summary>What stands for '/' in a v2 name.</summary>
    public const char Separator = '~';

    /// <summary>The v2 name of a catalog handle.</summary>
    public static string FromHandle(string handle) => handle.Replace('/', Separator);

    /// <summary>The catalog handle a v2 name stands for, or null when the name cannot be one.</summary>
    public static string? ToHandle(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('/', StringComparison.Ordinal))
        {
            return null;
        }
        var handle = name.Replace(Separator, '/');
        return ModelCardValidator.IsValidHandle(handle) ? handle : null;
    }
}
