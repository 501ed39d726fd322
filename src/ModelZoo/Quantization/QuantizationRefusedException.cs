namespace ModelZoo.Quantization;

/// <summary>The graph holds something static int8 quantization cannot handle; the message names the node and why.</summary>
public sealed class QuantizationRefusedException(ZooError error, string message) : ZooException(error, message);
