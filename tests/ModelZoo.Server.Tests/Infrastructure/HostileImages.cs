using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ModelZoo.Server.Tests.Infrastructure;

/// <summary>PNG files written chunk by chunk, for images no encoder would produce on request: tiny files that declare
/// huge pictures. Generated at test time; nothing binary is committed.</summary>
public static class HostileImages
{
    private static readonly Lazy<byte[]> Huge = new(() => StripedPng(7000, 7000));

    /// <summary>A real, fully decodable 7000×7000 RGB PNG of coloured blocks (a few hundred KB).</summary>
    public static byte[] Png7000 => Huge.Value;

    /// <summary>A decodable RGB PNG of <paramref name="width"/> × <paramref name="height"/> coloured 500-pixel blocks, written row by row.</summary>
    public static byte[] StripedPng(int width, int height)
    {
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[1 + 3 * width];
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var block = x / 500 + 3 * (y / 500);
                    row[1 + 3 * x] = (byte)(block * 47);
                    row[2 + 3 * x] = (byte)(255 - block * 31);
                    row[3 + 3 * x] = (byte)(block * 89);
                }
                zlib.Write(row);
            }
        }
        return Png(width, height, compressed.ToArray());
    }

    /// <summary>A PNG whose header declares <paramref name="width"/> × <paramref name="height"/> but holds one row of data:
    /// a decompression bomb's header, refused before any pixel is allocated.</summary>
    public static byte[] DeclaredOnlyPng(int width, int height)
    {
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(new byte[1 + 3 * 16]);
        }
        return Png(width, height, compressed.ToArray());
    }

    private static byte[] Png(int width, int height, byte[] idat)
    {
        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", idat);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(length, Crc32(typed));
        png.Write(length);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }
        return ~crc;
    }
}
