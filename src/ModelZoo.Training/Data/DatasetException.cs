namespace ModelZoo.Training.Data;

/// <summary>
/// A dataset cannot be used for training: the folder or CSV is missing or malformed, or it has too
/// few classes or too few images in a class. The message ends with how to fix the data.
/// </summary>
public sealed class DatasetException : ZooException
{
    /// <summary>The folder or CSV file does not exist.</summary>
    public const string NotFoundCode = "dataset-not-found";

    /// <summary>The folder has no class sub-folders or the CSV has no rows.</summary>
    public const string EmptyCode = "dataset-empty";

    /// <summary>Fewer than two classes.</summary>
    public const string TooFewClassesCode = "dataset-too-few-classes";

    /// <summary>A class has fewer than two usable images.</summary>
    public const string ClassTooSmallCode = "dataset-class-too-small";

    /// <summary>The CSV file is malformed (missing header, unbalanced quotes, empty fields).</summary>
    public const string BadCsvCode = "dataset-bad-csv";

    /// <summary>A folder's name is not valid UTF-8, so the runtime cannot open it.</summary>
    public const string UnreadableNameCode = "dataset-name-not-utf8";

    /// <summary>Creates a dataset error with one of the codes declared on this type.</summary>
    public DatasetException(string code, string message, Exception? inner = null)
        : base(code, message, inner)
    {
    }
}
