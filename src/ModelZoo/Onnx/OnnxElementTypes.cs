using ModelZoo.Onnx.Proto;

namespace ModelZoo.Onnx;

/// <summary>Names of ONNX tensor element types, shared by the graph reader and the runtime wrapper.</summary>
internal static class OnnxElementTypes
{
    /// <summary>The lower-case ONNX name of a <c>TensorProto.DataType</c> value, e.g. <c>float</c>.</summary>
    public static string Name(int dataType) => dataType switch
    {
        (int)TensorProto.Types.DataType.Float => "float",
        (int)TensorProto.Types.DataType.Uint8 => "uint8",
        (int)TensorProto.Types.DataType.Int8 => "int8",
        (int)TensorProto.Types.DataType.Uint16 => "uint16",
        (int)TensorProto.Types.DataType.Int16 => "int16",
        (int)TensorProto.Types.DataType.Int32 => "int32",
        (int)TensorProto.Types.DataType.Int64 => "int64",
        (int)TensorProto.Types.DataType.String => "string",
        (int)TensorProto.Types.DataType.Bool => "bool",
        (int)TensorProto.Types.DataType.Float16 => "float16",
        (int)TensorProto.Types.DataType.Double => "double",
        (int)TensorProto.Types.DataType.Uint32 => "uint32",
        (int)TensorProto.Types.DataType.Uint64 => "uint64",
        (int)TensorProto.Types.DataType.Complex64 => "complex64",
        (int)TensorProto.Types.DataType.Complex128 => "complex128",
        (int)TensorProto.Types.DataType.Bfloat16 => "bfloat16",
        (int)TensorProto.Types.DataType.Float8E4M3Fn => "float8e4m3fn",
        (int)TensorProto.Types.DataType.Float8E4M3Fnuz => "float8e4m3fnuz",
        (int)TensorProto.Types.DataType.Float8E5M2 => "float8e5m2",
        (int)TensorProto.Types.DataType.Float8E5M2Fnuz => "float8e5m2fnuz",
        (int)TensorProto.Types.DataType.Uint4 => "uint4",
        (int)TensorProto.Types.DataType.Int4 => "int4",
        (int)TensorProto.Types.DataType.Float4E2M1 => "float4e2m1",
        _ => "undefined",
    };

    /// <summary>The element type name of a declared value type (tensor element, or the kind of a non-tensor value).</summary>
    public static string Name(TypeProto? type) => type?.ValueCase switch
    {
        TypeProto.ValueOneofCase.TensorType => Name(type.TensorType.ElemType),
        TypeProto.ValueOneofCase.SparseTensorType => "sparse_tensor",
        TypeProto.ValueOneofCase.SequenceType => "sequence",
        TypeProto.ValueOneofCase.MapType => "map",
        TypeProto.ValueOneofCase.OptionalType => "optional",
        _ => "undefined",
    };
}
