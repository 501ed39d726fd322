namespace ModelZoo.Training.Export;

/// <summary>
/// One fully connected layer of a classification head as the exporter writes it: <c>y = x · Weightᵀ + Bias</c>
/// (an ONNX <c>Gemm</c> with <c>transB = 1</c>), followed by <c>Relu</c> when <paramref name="Relu"/> is set.
/// </summary>
/// <param name="Weight">Row-major <c>[Rows, Cols]</c> = <c>[outputs, inputs]</c>.</param>
/// <param name="Rows">Number of outputs.</param>
/// <param name="Cols">Number of inputs.</param>
/// <param name="Bias">One value per output.</param>
/// <param name="Relu">Apply <c>max(0, y)</c> after the affine map.</param>
public sealed record HeadLayerWeights(float[] Weight, int Rows, int Cols, float[] Bias, bool Relu);
