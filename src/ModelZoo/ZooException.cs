namespace ModelZoo;

/// <summary>
/// Base of every error the library raises on purpose. The message is one sentence that says what
/// went wrong and ends with what to do next; <see cref="Code"/> is a stable identifier that
/// programs can switch on without parsing text.
/// </summary>
public class ZooException : Exception
{
    /// <summary>Creates an error of a kind listed in <see cref="ZooErrors"/> with a message that ends with a fix.</summary>
    public ZooException(ZooError error, string message, Exception? inner = null)
        : base(message, inner)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
        Code = error.Code;
    }

    /// <summary>Creates an error with a stable code and a message that ends with a fix; prefer the
    /// <see cref="ZooError"/> overload, which this one resolves <paramref name="code"/> through.</summary>
    public ZooException(string code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Error = ZooErrors.Find(code);
    }

    /// <summary>Stable machine-readable error code, e.g. <c>checksum-mismatch</c>.</summary>
    public string Code { get; }

    /// <summary>The catalogue entry of <see cref="Code"/> (null only for a code <see cref="ZooErrors"/> does not list).</summary>
    public ZooError? Error { get; }

    /// <summary>Exit code a command-line front end should use for this error (the entry's: 1 by default, 2 for usage errors).</summary>
    public virtual int ExitCode => Error?.ExitCode ?? 1;
}

/// <summary>The caller asked for something malformed (bad handle, bad option value).</summary>
public class ZooUsageException(string message) : ZooException(ZooErrors.Usage, message)
{
    /// <inheritdoc />
    public override int ExitCode => 2;
}
