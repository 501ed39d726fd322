namespace ModelZoo.Training.Heads;

/// <summary>
/// One fully connected layer of a trained head: <c>y = activation(x · Weightᵀ + Bias)</c>, i.e. an ONNX
/// <c>Gemm</c> with <c>transB = 1</c> followed by the activation.
/// </summary>
/// <param name="Weight">Row-major <c>[Rows, Cols]</c> = <c>[outputs, inputs]</c>.</param>
/// <param name="Rows">Number of outputs.</param>
/// <param name="Cols">Number of inputs.</param>
/// <param name="Bias">One value per output.</param>
/// <param name="Activation">Activation after the affine map.</param>
public sealed record HeadLayer(float[] Weight, int Rows, int Cols, float[] Bias, HeadActivation Activation);
