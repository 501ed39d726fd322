using System.Buffers;
using SkiaSharp;

namespace ModelZoo.Imaging;

/// <summary>
/// Decodes JPEG, PNG, WebP, BMP and GIF (first frame) into upright 8-bit <see cref="RgbImage"/>s with
/// SkiaSharp's <see cref="SKCodec"/>. Thread-safe: every call works on its own codec.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>EXIF orientation (all eight) is applied, so width and height swap for orientations 5–8.</item>
/// <item>Greyscale, palette and 16-bit images come out as 8-bit RGB; transparency is composited onto white.</item>
/// <item>CMYK JPEGs are converted to RGB by Skia (Adobe's inverted CMYK convention, as Photoshop and PIL write it).</item>
/// <item>No colour management: embedded ICC profiles are ignored, as PIL and torchvision ignore them, so
/// tensors match the pipelines the models were trained with.</item>
/// <item>The pixel count declared by the header is checked against <see cref="ImageDecodeOptions.MaxPixels"/>
/// before any pixel memory is allocated.</item>
/// <item>Data that ends early is an <c>image-truncated</c> error unless <see cref="ImageDecodeOptions.AllowTruncated"/>
/// is set; damaged data is <c>image-corrupt</c>; anything else unreadable is <c>image-unsupported</c>.</item>
/// </list>
/// </remarks>
public static class ImageDecoder
{
    private const string Formats = "JPEG, PNG, WebP, BMP or GIF";

    /// <summary>Reads and decodes an image file.</summary>
    /// <exception cref="ImageDecodeException">The file is missing, unreadable, or not a decodable image.</exception>
    public static RgbImage Decode(string path, ImageDecodeOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var name = Path.GetFileName(path);
        var info = new FileInfo(path);
        if (info.Exists && info.Length == 0)
        {
            // Pipes and devices report no length too; reading one could wait for a writer forever, so none is opened.
            throw new ImageDecodeException(ImageDecodeException.EmptyCode,
                $"Image file '{path}' is empty or not a regular file (a pipe or device); pass an image file.", name);
        }
        if (!info.Exists && path.Contains('\uFFFD', StringComparison.Ordinal))
        {
            throw new ImageDecodeException(ImageDecodeException.NotFoundCode,
                $"Image file '{path}' cannot be opened: its name is not valid UTF-8, which .NET cannot pass to the file system; rename it to a UTF-8 name.", name);
        }
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ImageDecodeException(ImageDecodeException.NotFoundCode,
                $"Image file '{path}' does not exist; check the path.", name, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageDecodeException(ImageDecodeException.NotFoundCode,
                $"Image file '{path}' cannot be read ({e.Message}); check its permissions and size.", name, e);
        }
        return Decode(bytes, name ?? path, options);
    }

    /// <summary>Decodes an encoded image held in memory.</summary>
    /// <param name="data">The encoded bytes.</param>
    /// <param name="nameForErrors">A file name or label to put in error messages.</param>
    /// <param name="options">Limits; <see cref="ImageDecodeOptions.Default"/> when null.</param>
    /// <exception cref="ImageDecodeException">The data is empty, truncated, damaged, too large or not an image.</exception>
    public static unsafe RgbImage Decode(ReadOnlySpan<byte> data, string? nameForErrors = null, ImageDecodeOptions? options = null)
    {
        options ??= ImageDecodeOptions.Default;
        var label = nameForErrors is null ? "The image" : $"Image '{nameForErrors}'";
        if (data.IsEmpty)
        {
            throw new ImageDecodeException(ImageDecodeException.EmptyCode,
                $"{label} is empty (0 bytes); re-download or re-export it.", nameForErrors);
        }

        fixed (byte* pointer = data)
        {
            // Wraps the caller's bytes without copying; the codec is disposed before the pin is released.
            using var skData = SKData.Create((IntPtr)pointer, data.Length);
            using var stream = new SKMemoryStream(skData);
            using var codec = SKCodec.Create(stream, out var createResult);
            if (codec is null)
            {
                throw CreateFailed(createResult, data, label, nameForErrors);
            }
            return DecodeWith(codec, options, label, nameForErrors);
        }
    }

    private static RgbImage DecodeWith(SKCodec codec, ImageDecodeOptions options, string label, string? name)
    {
        var info = codec.Info;
        int width = info.Width, height = info.Height;
        if (width <= 0 || height <= 0)
        {
            throw new ImageDecodeException(ImageDecodeException.CorruptCode,
                $"{label} declares a size of {width}x{height}; the file is damaged, re-export it.", name);
        }
        var pixels = (long)width * height;
        if (pixels > options.MaxPixels || pixels * 4 > Array.MaxLength)
        {
            throw new ImageDecodeException(ImageDecodeException.TooLargeCode,
                $"{label} is {width}x{height} ({pixels / 1e6:0.#} megapixels), more than the limit of {options.MaxPixels / 1e6:0.#}; " +
                "downscale it or raise ImageDecodeOptions.MaxPixels.", name);
        }

        var hasAlpha = info.AlphaType != SKAlphaType.Opaque;
        // No colour space on the destination: Skia then converts formats but does no colour management.
        var target = new SKImageInfo(width, height, SKColorType.Rgba8888, hasAlpha ? SKAlphaType.Unpremul : SKAlphaType.Opaque);
        var size = target.BytesSize;
        var rgba = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            SKCodecResult result;
            unsafe
            {
                fixed (byte* p = rgba)
                {
                    result = codec.GetPixels(target, (IntPtr)p);
                }
            }
            var truncated = false;
            switch (result)
            {
                case SKCodecResult.Success:
                    break;
                case SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput when options.AllowTruncated:
                    truncated = true;
                    break;
                case SKCodecResult.IncompleteInput:
                    throw new ImageDecodeException(ImageDecodeException.TruncatedCode,
                        $"{label} ({codec.EncodedFormat}, {width}x{height}) ends before all its pixels; the file was cut short, " +
                        "re-download it (or set ImageDecodeOptions.AllowTruncated to accept the partial image).", name);
                case SKCodecResult.ErrorInInput:
                    throw new ImageDecodeException(ImageDecodeException.CorruptCode,
                        $"{label} ({codec.EncodedFormat}, {width}x{height}) has damaged pixel data; re-download or re-export it " +
                        "(or set ImageDecodeOptions.AllowTruncated to accept the partial image).", name);
                default:
                    throw new ImageDecodeException(ImageDecodeException.UnsupportedCode,
                        $"{label} ({codec.EncodedFormat}, {info.ColorType}) could not be decoded ({result}); convert it to 8-bit RGB PNG or JPEG.", name);
            }

            var origin = options.ApplyOrientation ? codec.EncodedOrigin : SKEncodedOrigin.TopLeft;
            var swap = PixelConversion.SwapsAxes(origin);
            var image = RgbImage.Rent(swap ? height : width, swap ? width : height, truncated);
            PixelConversion.RgbaToRgb(rgba.AsSpan(0, size), width, height, origin, hasAlpha, image.WritablePixels);
            return image;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgba);
        }
    }

    private static ImageDecodeException CreateFailed(SKCodecResult result, ReadOnlySpan<byte> data, string label, string? name)
    {
        var format = Sniff(data);
        if (format is "TIFF" or "HEIF/AVIF" or "SVG" or "PDF")
        {
            return new ImageDecodeException(ImageDecodeException.UnsupportedCode,
                $"{label} is {format}, which is not supported; convert it to {Formats}.", name);
        }
        if (format is not null)
        {
            return result == SKCodecResult.IncompleteInput
                ? new ImageDecodeException(ImageDecodeException.TruncatedCode,
                    $"{label} looks like {format} but ends inside its header ({data.Length} bytes); the file was cut short, re-download it.", name)
                : new ImageDecodeException(ImageDecodeException.CorruptCode,
                    $"{label} looks like {format} but its header is damaged ({result}); re-download or re-export it.", name);
        }
        return new ImageDecodeException(ImageDecodeException.UnsupportedCode,
            $"{label} ({data.Length} bytes) is not a recognised image; supply a {Formats} file.", name);
    }

    /// <summary>Names the format from its magic bytes, for error messages only (decoding is Skia's choice).</summary>
    private static string? Sniff(ReadOnlySpan<byte> d)
    {
        if (d.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8])) return "JPEG";
        if (d.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G'])) return "PNG";
        if (d.StartsWith("GIF8"u8)) return "GIF";
        if (d.StartsWith("BM"u8)) return "BMP";
        if (d.Length >= 12 && d.StartsWith("RIFF"u8) && d.Slice(8, 4).SequenceEqual("WEBP"u8)) return "WebP";
        if (d.StartsWith("II*\0"u8) || d.StartsWith("MM\0*"u8)) return "TIFF";
        if (d.Length >= 12 && d.Slice(4, 4).SequenceEqual("ftyp"u8)) return "HEIF/AVIF";
        if (d.StartsWith("%PDF"u8)) return "PDF";
        var head = d[..Math.Min(d.Length, 256)];
        if (head.IndexOf("<svg"u8) >= 0) return "SVG";
        return null;
    }
}
