namespace ModelZoo.Tasks;

/// <summary>A short line shown instead of tables when an image has no results, with a hint at what to try.</summary>
/// <param name="Message">What happened (e.g. <c>nothing detected</c>).</param>
/// <param name="Hint">What to try next, or null.</param>
public sealed record ResultNote(string Message, string? Hint);
