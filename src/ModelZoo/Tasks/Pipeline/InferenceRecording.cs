using System.Collections.Concurrent;

namespace ModelZoo.Tasks;

/// <summary>
/// The model-session calls a pipeline made while it was recorded (<see cref="ImagePipeline{TResult, TOptions}.RecordInference"/>):
/// the exact input tensors its preprocessing produced and the outputs it asked for, ready to be run again on the same
/// session with nothing around them. Benchmarks compare the whole pipeline with ONNX Runtime alone this way: same
/// session, same options, same threads, same tensors.
/// </summary>
/// <remarks>Holds the input arrays (one batch's worth per call); not thread-safe to replay concurrently with a
/// recording on the same pipeline.</remarks>
public sealed class InferenceRecording
{
    private readonly ModelSession _session;
    private readonly IReadOnlyList<(IReadOnlyList<NamedTensor> Inputs, IReadOnlyList<string> Outputs)> _calls;

    internal InferenceRecording(ModelSession session, ConcurrentQueue<(IReadOnlyList<NamedTensor>, IReadOnlyList<string>)> calls)
    {
        _session = session;
        _calls = [.. calls];
    }

    /// <summary>Session calls recorded, in the order they were made.</summary>
    public int Calls => _calls.Count;

    /// <summary>Runs every recorded call again, in order, on the pipeline's session; outputs are dropped.</summary>
    /// <exception cref="ObjectDisposedException">The pipeline was disposed.</exception>
    public void Replay()
    {
        foreach (var (inputs, outputs) in _calls)
        {
            _session.Run(inputs, outputs);
        }
    }
}
