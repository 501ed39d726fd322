namespace ModelZoo.Store;

/// <summary>The store's folder cannot be written (a read-only file system, missing permissions), so nothing can be pulled into it.</summary>
public sealed class StoreNotWritableException : ZooException
{
    /// <summary>Creates the error for the store at <paramref name="home"/>; <paramref name="inner"/> is the operating system's refusal.</summary>
    public StoreNotWritableException(string home, Exception inner)
        : base(ZooErrors.StoreNotWritable,
            $"{ZooSettings.HomeVariable} {home} is not writable: {inner.Message.TrimEnd('.')}; set {ZooSettings.HomeVariable} to a writable folder.",
            inner)
    {
        Home = home;
    }

    /// <summary>The store's root folder.</summary>
    public string Home { get; }
}
