namespace ModelZoo.Cli.Infrastructure;

/// <summary>
/// An option value that is not one of its choices (<see cref="ChoiceConverter{TEnum}"/>). Spectre reports it without
/// the option's name, so <see cref="ZooApp"/> finds the option in the arguments and prints <see cref="Describe"/>.
/// </summary>
/// <param name="value">What was given.</param>
/// <param name="choices">The valid values as a sentence, e.g. <c>linear or mlp</c>.</param>
public sealed class ChoiceException(string value, string choices)
    : FormatException($"must be {choices}, not '{value}'.")
{
    /// <summary>What was given.</summary>
    public string Value { get; } = value;

    /// <summary>The valid values as a sentence.</summary>
    public string Choices { get; } = choices;

    /// <summary>The error line for <paramref name="option"/>: <c>--head must be linear or mlp, not 'deep'.</c></summary>
    public string Describe(string option) => $"{option} must be {Choices}, not '{Value}'.";

    /// <summary>The option in <paramref name="args"/> that was given <see cref="Value"/> (<c>--head deep</c> or
    /// <c>--head=deep</c>), or "the option" where none can be told.</summary>
    public string FindOption(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (i > 0 && args[i] == Value && args[i - 1].StartsWith('-'))
            {
                return args[i - 1];
            }
            if (args[i].StartsWith('-') && args[i].EndsWith("=" + Value, StringComparison.Ordinal))
            {
                return args[i][..^(Value.Length + 1)];
            }
        }
        return "the option";
    }
}
