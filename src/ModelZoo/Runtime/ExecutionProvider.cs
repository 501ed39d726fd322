namespace ModelZoo.Runtime;

/// <summary>Where ONNX Runtime executes a model.</summary>
public enum ExecutionProvider
{
    /// <summary>The default CPU provider, always available.</summary>
    Cpu,

    /// <summary>NVIDIA CUDA; needs a build with -p:ZooCuda=true (Microsoft.ML.OnnxRuntime.Gpu.Linux) and the CUDA 13 libraries with cuDNN 9.</summary>
    Cuda,
}
