namespace ModelZoo.Store;

/// <summary>A file is missing from the store and <see cref="ZooSettings.Offline"/> forbids downloading it.</summary>
public sealed class OfflineException(string what)
    : ZooException(ZooErrors.Offline,
        $"{what} is not in the model store and {ZooSettings.OfflineVariable} is set, so no connection was opened; " +
        $"unset {ZooSettings.OfflineVariable} (or pull the model on a connected machine) and try again.")
{
}
