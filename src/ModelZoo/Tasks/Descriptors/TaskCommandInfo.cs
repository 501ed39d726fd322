namespace ModelZoo.Tasks;

/// <summary>How a command-line host names and announces a task: the verb, its one-line help, the text shown while it
/// runs and an example invocation. Plain text; the host adds any styling.</summary>
/// <param name="Verb">The command name (e.g. <c>detect</c>).</param>
/// <param name="Description">One line of help.</param>
/// <param name="Progress">What the progress display says while images run (e.g. <c>detecting</c>).</param>
/// <param name="Example">Arguments of an example invocation, starting with the verb; null for none.</param>
public sealed record TaskCommandInfo(string Verb, string Description, string Progress, IReadOnlyList<string>? Example = null);
