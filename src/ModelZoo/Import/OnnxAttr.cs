using Google.Protobuf;
using ModelZoo.Import.Tfjs;
using ModelZoo.Onnx.Proto;

namespace ModelZoo.Import;

/// <summary>Builds ONNX node attributes, for every importer.</summary>
internal static class OnnxAttr
{
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, I = value, Type = AttributeProto.Types.AttributeType.Int };

    public static AttributeProto Ints(string name, params IEnumerable<long> values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, F = value, Type = AttributeProto.Types.AttributeType.Float };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, S = ByteString.CopyFromUtf8(value), Type = AttributeProto.Types.AttributeType.String };

    public static AttributeProto Tensor(string name, ConstTensor value) =>
        new() { Name = name, T = value.ToProto(""), Type = AttributeProto.Types.AttributeType.Tensor };
}
