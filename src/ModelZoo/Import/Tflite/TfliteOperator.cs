namespace ModelZoo.Import.Tflite;

/// <summary>One operator of subgraph 0: its name (<c>CONV_2D</c>, or the custom code of a <c>CUSTOM</c> op), tensor
/// indices (-1 for an omitted optional input), builtin options table and raw custom options.</summary>
internal sealed record TfliteOperator(int Index, string Op, bool IsCustom, int[] Inputs, int[] Outputs, FlatTable? Options, byte[] CustomOptions);
