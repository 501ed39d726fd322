namespace ModelZoo.Training.Data;

/// <summary>
/// A dataset cannot be used for training: the folder or CSV is missing or malformed, or it has too
/// few classes or too few images in a class. The message ends with how to fix the data.
/// </summary>
public sealed class DatasetException : ZooException
{
    /// <summary>The folder or CSV file does not exist.</summary>
    public static readonly string NotFoundCode = ZooErrors.DatasetNotFound.Code;

    /// <summary>The folder has no class sub-folders or the CSV has no rows.</summary>
    public static readonly string EmptyCode = ZooErrors.DatasetEmpty.Code;

    /// <summary>Fewer than two classes.</summary>
    public static readonly string TooFewClassesCode = ZooErrors.DatasetTooFewClasses.Code;

    /// <summary>A class has fewer than two usable images.</summary>
    public static readonly string ClassTooSmallCode = ZooErrors.DatasetClassTooSmall.Code;

    /// <summary>The CSV file is malformed (missing header, unbalanced quotes, empty fields).</summary>
    public static readonly string BadCsvCode = ZooErrors.DatasetBadCsv.Code;

    /// <summary>A folder's name is not valid UTF-8, so the runtime cannot open it.</summary>
    public static readonly string UnreadableNameCode = ZooErrors.DatasetNameNotUtf8.Code;

    /// <summary>Creates a dataset error with one of the codes declared on this type.</summary>
    public DatasetException(string code, string message, Exception? inner = null)
        : base(code, message, inner)
    {
    }
}
