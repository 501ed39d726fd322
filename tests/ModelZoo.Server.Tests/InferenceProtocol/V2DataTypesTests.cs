using System.Text;
using System.Text.Json;
using ModelZoo.Server.Hosting;
using ModelZoo.Server.InferenceProtocol;

namespace ModelZoo.Server.Tests.InferenceProtocol;

public sealed class V2DataTypesTests
{
    public static TheoryData<string, Array, byte[], string> Carried => new()
    {
        { "FP32", new[] { 1.5f, -2f }, [0x00, 0x00, 0xC0, 0x3F, 0x00, 0x00, 0x00, 0xC0], "[1.5,-2]" },
        { "FP64", new[] { 0.25, -1.0 }, [0, 0, 0, 0, 0, 0, 0xD0, 0x3F, 0, 0, 0, 0, 0, 0, 0xF0, 0xBF], "[0.25,-1]" },
        { "INT64", new[] { 1L, -1L }, [1, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], "[1,-1]" },
        { "INT32", new[] { 258, -2 }, [2, 1, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF], "[258,-2]" },
        { "INT8", new sbyte[] { -128, 127 }, [0x80, 0x7F], "[-128,127]" },
        { "UINT8", new byte[] { 0, 255 }, [0x00, 0xFF], "[0,255]" },
        { "BOOL", new[] { true, false }, [1, 0], "[true,false]" },
    };

    [Theory]
    [MemberData(nameof(Carried))]
    public void Each_carried_type_reads_and_writes_little_endian_bytes_and_json(string datatype, Array values, byte[] bytes, string json)
    {
        Assert.Equal(values.GetType().GetElementType(), V2DataTypes.ClrType(datatype));
        Assert.Equal(bytes.Length / values.Length, V2DataTypes.ElementSize(datatype));
        Assert.Equal(values, V2DataTypes.FromBytes("x", datatype, bytes, values.Length));
        Assert.Equal(values, V2DataTypes.FromJson("x", datatype, JsonDocument.Parse(json).RootElement, values.Length));
        Assert.Equal(bytes, V2DataTypes.ToBytes(values));
        // UINT8 and INT8 included: a byte[] is named UINT8 and written unsigned (255, not -1).
        Assert.Equal(datatype, V2DataTypes.FromArray(values));
        Assert.Equal(json, WriteJson(values));
    }

    [Fact]
    public void Nested_json_is_read_in_row_major_order()
    {
        var data = JsonDocument.Parse("[[1, 2], [3, 4]]").RootElement;
        Assert.Equal(new[] { 1L, 2L, 3L, 4L }, V2DataTypes.FromJson("x", "INT64", data, 4));
    }

    [Fact]
    public void Any_non_zero_bool_byte_is_true_and_bools_go_out_as_zero_or_one()
    {
        var read = Assert.IsType<bool[]>(V2DataTypes.FromBytes("x", "BOOL", [0, 2, 255], 3));
        Assert.Equal(new[] { false, true, true }, read);
        Assert.Equal(new byte[] { 0, 1, 1 }, V2DataTypes.ToBytes(read));
    }

    [Fact]
    public void Json_writes_non_finite_floats_as_null_and_strings_as_strings()
    {
        Assert.Equal("[1,null,null]", WriteJson(new[] { 1f, float.NaN, float.PositiveInfinity }));
        Assert.Equal("[null,2]", WriteJson(new[] { double.NegativeInfinity, 2.0 }));
        Assert.Equal("[\"a\",\"b\"]", WriteJson(new[] { "a", "b" }));
        Assert.Equal("BYTES", V2DataTypes.FromArray(new[] { "a" }));
    }

    [Fact]
    public void Types_the_server_does_not_carry_are_refused()
    {
        Assert.Null(V2DataTypes.ClrType("FP16"));
        Assert.Null(V2DataTypes.ClrType("BYTES"));
        var fromBytes = Assert.Throws<ServeException>(() => V2DataTypes.FromBytes("x", "FP16", [0, 0], 2));
        Assert.Equal(ZooErrors.V2DatatypeUnsupported.Code, fromBytes.Code);
        var output = Assert.Throws<ServeException>(() => V2DataTypes.FromArray(new ushort[] { 1 }));
        Assert.Equal(ZooErrors.V2DatatypeUnsupported.Code, output.Code);
        Assert.Contains("UInt16", output.Message, StringComparison.Ordinal);
        Assert.Throws<ServeException>(() => V2DataTypes.ToBytes(new[] { "a" }));
    }

    [Fact]
    public void Malformed_data_is_a_bad_request()
    {
        var count = Assert.Throws<ServeException>(() => V2DataTypes.FromBytes("x", "FP32", new byte[6], 2));
        Assert.Equal(ZooErrors.V2BadRequest.Code, count.Code);
        Assert.Contains("6 bytes", count.Message, StringComparison.Ordinal);
        var range = Assert.Throws<ServeException>(() => V2DataTypes.FromJson("x", "UINT8", JsonDocument.Parse("[256]").RootElement, 1));
        Assert.Equal(ZooErrors.V2BadRequest.Code, range.Code);
        var kind = Assert.Throws<ServeException>(() => V2DataTypes.FromJson("x", "FP32", JsonDocument.Parse("[\"1\"]").RootElement, 1));
        Assert.Equal(ZooErrors.V2BadRequest.Code, kind.Code);
    }

    private static string WriteJson(Array values)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            V2DataTypes.WriteJson(writer, values);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
