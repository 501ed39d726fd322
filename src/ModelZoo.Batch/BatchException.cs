namespace ModelZoo.Batch;

/// <summary>A batch job could not go on: the broker is unreachable, the job is unknown, a message is malformed, the
/// output cannot be written. <see cref="ZooException.Code"/> says which.</summary>
public sealed class BatchException : ZooException
{
    /// <summary>Creates the error; <paramref name="message"/> ends with what to do next.</summary>
    public BatchException(ZooError error, string message, Exception? inner = null) : base(error, message, inner)
    {
    }
}
