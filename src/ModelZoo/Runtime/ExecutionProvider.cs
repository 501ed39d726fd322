namespace ModelZoo.Runtime;

/// <summary>Where ONNX Runtime executes a model.</summary>
public enum ExecutionProvider
{
    /// <summary>The default CPU provider, always available.</summary>
    Cpu,

    /// <summary>NVIDIA CUDA; needs the Microsoft.ML.OnnxRuntime.Gpu package and CUDA 12 libraries.</summary>
    Cuda,
}
