namespace ModelZoo.Import.Tfjs;

/// <summary>Element types the importer works with; the values are ONNX <c>TensorProto.DataType</c> codes.
/// TensorFlow.js keeps every integer tensor as int32, so TensorFlow int64 and the small integer types become
/// <see cref="Int32"/>; <see cref="Int64"/> appears only where ONNX operators require it (shapes, indices).</summary>
internal enum TensorType
{
    Float = 1,
    Int32 = 6,
    Int64 = 7,
    Bool = 9,
}
