namespace ModelZoo.Runtime;

/// <summary>
/// The requested execution provider (for example CUDA) is not available in this process: the GPU build of
/// ONNX Runtime or the GPU driver libraries are missing, or the device does not exist.
/// </summary>
/// <param name="provider">The provider that was requested.</param>
/// <param name="message">The one-line message.</param>
/// <param name="inner">What the runtime threw, if anything.</param>
public sealed class ExecutionProviderException(ExecutionProvider provider, string message, Exception? inner = null)
    : ZooException(ZooErrors.ExecutionProvider, message, inner)
{
    /// <summary>Stable error code.</summary>
    public const string ErrorCode = "execution-provider";

    /// <summary>The provider that was requested.</summary>
    public ExecutionProvider Provider { get; } = provider;
}
