namespace ModelZoo.Server.Adapters;

/// <summary>What a task adapter reads from a request body.</summary>
public enum TaskInputKind
{
    /// <summary>An encoded image (JPEG, PNG, WebP, BMP, GIF).</summary>
    Image,
    /// <summary>UTF-8 text.</summary>
    Text,
}
