namespace ModelZoo.Import.Tflite;

/// <summary>One tensor of subgraph 0 as the file declares it. <see cref="Type"/> is the schema's <c>TensorType</c> code.</summary>
internal sealed record TfliteTensor(int Index, string Name, long[] Shape, int Type, int Buffer, TfliteQuantization? Quantization,
    TfliteSparsity? Sparsity);

/// <summary>Affine quantization parameters (<c>real = scale · (q − zero_point)</c>), per tensor or per <see cref="Axis"/>.</summary>
internal sealed record TfliteQuantization(float[] Scale, long[] ZeroPoint, int Axis);

/// <summary>The sparse layout of a constant (the schema's <c>SparsityParameters</c>).</summary>
internal sealed record TfliteSparsity(int[] TraversalOrder, int[] BlockMap, TfliteDimension[] Dimensions);

/// <summary>One dimension of a sparse layout: dense with <see cref="DenseSize"/>, or CSR with segments and indices.</summary>
internal sealed record TfliteDimension(bool Sparse, int DenseSize, int[] Segments, int[] Indices);
