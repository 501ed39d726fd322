using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace ModelZoo.Cli.Infrastructure;

/// <summary>Writes feature vectors as JSON (<c>[{"image", "vector"}]</c>), CSV (<c>image,f0,f1,…</c>) or NumPy <c>.npy</c> (float32 [N, D]).</summary>
public static class FeatureWriter
{
    /// <summary>Writes the rows to <paramref name="stream"/> in <paramref name="format"/>.</summary>
    public static void Write(Stream stream, FeatureFormat format, IReadOnlyList<(string Image, float[] Vector)> rows)
    {
        switch (format)
        {
            case FeatureFormat.Json:
                WriteJson(stream, rows);
                break;
            case FeatureFormat.Csv:
                WriteCsv(stream, rows);
                break;
            default:
                WriteNpy(stream, rows);
                break;
        }
    }

    private static void WriteJson(Stream stream, IReadOnlyList<(string Image, float[] Vector)> rows)
    {
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        writer.WriteStartArray();
        foreach (var (image, vector) in rows)
        {
            writer.WriteStartObject();
            writer.WriteString("image", image);
            writer.WriteStartArray("vector");
            foreach (var value in vector)
            {
                writer.WriteNumberValue(value);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.Flush();
        stream.WriteByte((byte)'\n');
    }

    private static void WriteCsv(Stream stream, IReadOnlyList<(string Image, float[] Vector)> rows)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
        var dimension = rows.Count == 0 ? 0 : rows[0].Vector.Length;
        writer.Write("image");
        for (var i = 0; i < dimension; i++)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $",f{i}"));
        }
        writer.Write('\n');
        foreach (var (image, vector) in rows)
        {
            writer.Write(Quote(image));
            foreach (var value in vector)
            {
                writer.Write(',');
                writer.Write(value.ToString("R", CultureInfo.InvariantCulture));
            }
            writer.Write('\n');
        }
    }

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static void WriteNpy(Stream stream, IReadOnlyList<(string Image, float[] Vector)> rows)
    {
        var dimension = rows.Count == 0 ? 0 : rows[0].Vector.Length;
        if (rows.Any(r => r.Vector.Length != dimension))
        {
            throw ZooErrors.RaggedFeatures.Raise("feature vectors differ in length, so they cannot form one .npy array; use --format json.");
        }
        // NPY v1.0: magic, version, little-endian header length, then a Python dict literal padded so data starts 64-byte aligned.
        var header = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows.Count}, {dimension}), }}");
        var unpadded = 10 + header.Length + 1;
        header += new string(' ', (64 - unpadded % 64) % 64) + "\n";
        Span<byte> prefix = stackalloc byte[10];
        prefix[0] = 0x93;
        "NUMPY"u8.CopyTo(prefix[1..]);
        prefix[6] = 1;
        prefix[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(prefix[8..], (ushort)header.Length);
        stream.Write(prefix);
        stream.Write(Encoding.ASCII.GetBytes(header));
        var buffer = new byte[dimension * sizeof(float)];
        foreach (var (_, vector) in rows)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * 4), vector[i]);
            }
            stream.Write(buffer);
        }
    }
}
