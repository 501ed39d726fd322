namespace ModelZoo.Runtime;

/// <summary>Options for opening a <see cref="ModelSession"/>.</summary>
public sealed record SessionSettings
{
    /// <summary>Threads used inside one operator; 0 lets ONNX Runtime choose.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads used to run independent operators in parallel; 0 lets ONNX Runtime choose.</summary>
    public int InterOpThreads { get; init; }

    /// <summary>Whether ONNX Runtime's intra-op threads keep spinning between parallel sections instead of sleeping.
    /// Off by default: spinning only pays when the process runs the model back to back and does nothing else, while a
    /// zoo pipeline decodes, resizes and postprocesses between runs, and the spinning threads take the cores that work
    /// needs (on 2 cores a folder of photos through a small model ran 1.3–1.5× faster without it; BENCHMARKS.md).</summary>
    public bool SpinWhileIdle { get; init; }

    /// <summary>Graph optimization level; <see cref="GraphOptimization.All"/> by default.</summary>
    public GraphOptimization Optimization { get; init; } = GraphOptimization.All;

    /// <summary>Execution provider; <see cref="ExecutionProvider.Cpu"/> by default.</summary>
    public ExecutionProvider Provider { get; init; } = ExecutionProvider.Cpu;

    /// <summary>Whether ONNX Runtime may write its own warnings (e.g. "Removing initializer …" while optimising) to the
    /// process's standard error. Off by default: the runtime's log bypasses the application's output, so it stays
    /// silent unless asked for (the CLI's <c>--verbose</c>); errors still surface as exceptions.</summary>
    public bool RuntimeLog { get; init; }

    /// <summary>CUDA device ordinal when <see cref="Provider"/> is <see cref="ExecutionProvider.Cuda"/>.</summary>
    public int CudaDeviceId { get; init; }

    /// <summary>
    /// When true (the default) and a graph input has a fixed leading dimension, the model is rewritten in
    /// memory with <see cref="Onnx.OnnxModel.MakeBatchDynamic"/> so that any batch size runs.
    /// </summary>
    public bool DynamicBatch { get; init; } = true;
}
