namespace ModelZoo.Cli.Infrastructure;

/// <summary>
/// A settings class's checks written as rows of (broken, message): one line per option, read in order, the first broken
/// row's message is the error. Only when every row holds do the base class's checks run, so an option group's own
/// checks keep coming after the command's.
/// </summary>
internal static class OptionRules
{
    /// <summary>The first row whose condition holds, as an error; else <paramref name="then"/> (the base class's
    /// validation).</summary>
    public static ValidationResult FirstError(Func<ValidationResult> then, params ReadOnlySpan<(bool Broken, string Message)> rows)
    {
        foreach (var (broken, message) in rows)
        {
            if (broken)
            {
                return ValidationResult.Error(message);
            }
        }
        return then();
    }
}
