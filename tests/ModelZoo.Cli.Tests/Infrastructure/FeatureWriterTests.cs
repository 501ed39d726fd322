using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using ModelZoo.Cli.Infrastructure;

namespace ModelZoo.Cli.Tests.Infrastructure;

public sealed class FeatureWriterTests
{
    private static readonly (string, float[])[] Rows = [("a.jpg", [1.5f, -2f, 0.1f]), ("dir/b, c.png", [3f, 4f, 5.25f])];

    [Fact]
    public void Npy_has_a_valid_v1_header_and_little_endian_float32_rows()
    {
        using var stream = new MemoryStream();
        FeatureWriter.Write(stream, FeatureFormat.Npy, Rows);
        var bytes = stream.ToArray();
        Assert.Equal(0x93, bytes[0]);
        Assert.Equal("NUMPY", Encoding.ASCII.GetString(bytes, 1, 5));
        var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.Equal(0, (10 + headerLength) % 64);
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Contains("'descr': '<f4'", header);
        Assert.Contains("'shape': (2, 3)", header);
        Assert.EndsWith("\n", header);
        var data = bytes.AsSpan(10 + headerLength);
        Assert.Equal(2 * 3 * 4, data.Length);
        Assert.Equal(5.25f, BinaryPrimitives.ReadSingleLittleEndian(data[20..]));
    }

    [Fact]
    public void Csv_quotes_paths_with_commas_and_round_trips_values()
    {
        using var stream = new MemoryStream();
        FeatureWriter.Write(stream, FeatureFormat.Csv, Rows);
        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("image,f0,f1,f2", lines[0]);
        Assert.Equal("a.jpg,1.5,-2,0.1", lines[1]);
        Assert.StartsWith("\"dir/b, c.png\",", lines[2]);
    }

    [Fact]
    public void Json_rows_have_image_and_vector()
    {
        using var stream = new MemoryStream();
        FeatureWriter.Write(stream, FeatureFormat.Json, Rows);
        using var doc = JsonDocument.Parse(stream.ToArray());
        Assert.Equal("dir/b, c.png", doc.RootElement[1].GetProperty("image").GetString());
        Assert.Equal(0.1f, doc.RootElement[0].GetProperty("vector")[2].GetSingle());
    }

    [Fact]
    public void Ragged_vectors_cannot_become_an_npy_array()
    {
        using var stream = new MemoryStream();
        var error = Assert.Throws<ZooException>(() => FeatureWriter.Write(stream, FeatureFormat.Npy, [("a", [1f]), ("b", [1f, 2f])]));
        Assert.Contains("--format json", error.Message);
    }
}
