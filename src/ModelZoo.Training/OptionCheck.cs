namespace ModelZoo.Training;

/// <summary>The one check the options records run for each of their values, so that every one fails the same way.</summary>
internal static class OptionCheck
{
    /// <summary>Throws a <see cref="ZooUsageException"/> with <paramref name="message"/> unless <paramref name="ok"/>.</summary>
    public static void Require(bool ok, string message)
    {
        if (!ok)
        {
            throw new ZooUsageException(message);
        }
    }
}
