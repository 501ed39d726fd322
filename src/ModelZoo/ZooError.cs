namespace ModelZoo;

/// <summary>
/// One kind of error in <see cref="ZooErrors"/>: its stable code, the exit code a command-line front end uses for it,
/// and the next step to suggest when nothing more specific is known.
/// </summary>
/// <param name="Code">Stable machine-readable code, e.g. <c>checksum-mismatch</c>.</param>
/// <param name="ExitCode">Exit code of a command that ends with this error (1 failure, 2 usage error).</param>
/// <param name="NextStep">What the user should do next, in general; a message names the specific fix.</param>
/// <param name="HttpStatus">HTTP status a server answers with for this error; null where the server maps it by kind
/// (usage errors 400, others 500).</param>
public sealed record ZooError(string Code, int ExitCode, string NextStep, int? HttpStatus = null)
{
    /// <summary>An exception of this kind with <paramref name="message"/> (one line ending with what to do next).</summary>
    public ZooException Raise(string message, Exception? inner = null) => new(this, message, inner);

    /// <inheritdoc />
    public override string ToString() => Code;
}
