namespace ModelZoo.Catalog;

/// <summary>A model card is malformed: bad JSON, a missing required field, or a value the validator rejects.
/// The message names where the card came from and what is wrong with it.</summary>
public sealed class InvalidModelCardException : ZooException
{
    /// <summary>Creates the error for the card read from <paramref name="origin"/>.</summary>
    public InvalidModelCardException(string origin, string problem, Exception? inner = null)
        : base(ZooErrors.InvalidModelCard, $"model card '{origin}' is invalid: {problem}; fix or remove the card.", inner)
    {
        Origin = origin;
        Problem = problem;
    }

    /// <summary>Where the card came from: an embedded resource name or a file path.</summary>
    public string Origin { get; }

    /// <summary>What is wrong, naming the field.</summary>
    public string Problem { get; }
}
