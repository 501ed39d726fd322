namespace ModelZoo.Runtime;

/// <summary>
/// The requested execution provider (for example CUDA) is not available in this process: the GPU build of
/// ONNX Runtime or the GPU driver libraries are missing, or the device does not exist.
/// </summary>
public sealed class ExecutionProviderException : ZooException
{
    /// <summary>Stable error code.</summary>
    public const string ErrorCode = "execution-provider";

    /// <summary>Creates the error for <paramref name="provider"/>.</summary>
    public ExecutionProviderException(ExecutionProvider provider, string message, Exception? inner = null)
        : base(ZooErrors.ExecutionProvider, message, inner)
    {
        Provider = provider;
    }

    /// <summary>The provider that was requested.</summary>
    public ExecutionProvider Provider { get; }
}
