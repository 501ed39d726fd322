using System.Buffers;
using System.Runtime.InteropServices;
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
        var bytes = ReadFile(path, out var name);
        return Decode(bytes, name, options);
    }

    /// <summary>
    /// Reads and decodes an image file at the smallest size the codec can decode it at directly (JPEG's DCT scaling, in
    /// eighths) that is still at least <paramref name="minimumScale"/> of its upright size on both axes; formats
    /// without such scaling (PNG, BMP, GIF) and images already small enough are decoded at full size. A pipeline that only
    /// shrinks the image into its model input asks for the scale it shrinks by, so the resampler still shrinks (never
    /// enlarges) and the full-size pixels are never made.
    /// </summary>
    /// <param name="path">The image file.</param>
    /// <param name="options">Limits; <see cref="ImageDecodeOptions.Default"/> when null.</param>
    /// <param name="minimumScale">The least scale wanted, given the upright width and height; null decodes at full size.</param>
    /// <exception cref="ImageDecodeException">The file is missing, unreadable, or not a decodable image.</exception>
    public static ScaledImage DecodeScaled(string path, ImageDecodeOptions? options, Func<int, int, double>? minimumScale)
    {
        var bytes = ReadFile(path, out var name);
        return DecodeScaled(bytes, name, options, minimumScale);
    }

    /// <summary>Decodes an encoded image held in memory as <see cref="DecodeScaled(string, ImageDecodeOptions?, Func{int, int, double}?)"/>
    /// decodes a file.</summary>
    /// <param name="data">The encoded bytes.</param>
    /// <param name="nameForErrors">A file name or label to put in error messages.</param>
    /// <param name="options">Limits; <see cref="ImageDecodeOptions.Default"/> when null.</param>
    /// <param name="minimumScale">The least scale wanted, given the upright width and height; null decodes at full size
    /// (or smaller under <see cref="ImageDecodeOptions.MaxDecodedPixels"/>).</param>
    /// <exception cref="ImageDecodeException">The data is empty, truncated, damaged, too large or not an image.</exception>
    public static ScaledImage DecodeScaled(ReadOnlySpan<byte> data, string? nameForErrors, ImageDecodeOptions? options, Func<int, int, double>? minimumScale)
    {
        options ??= ImageDecodeOptions.Default;
        return WithCodec(data, nameForErrors, (codec, label) =>
        {
            var plan = Plan(codec, options, label, nameForErrors, minimumScale);
            var image = DecodeWith(codec, plan, options, label, nameForErrors);
            var (w, h) = (codec.Info.Width, codec.Info.Height);
            return SwapsAxes(codec, options)
                ? new ScaledImage(image, h, w, plan.ScaleY, plan.ScaleX)
                : new ScaledImage(image, w, h, plan.ScaleX, plan.ScaleY);
        });
    }

    private static byte[] ReadFile(string path, out string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        name = Path.GetFileName(path) is { Length: > 0 } fileName ? fileName : path;
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
        return bytes;
    }

    /// <summary>Decodes an encoded image held in memory.</summary>
    /// <param name="data">The encoded bytes.</param>
    /// <param name="nameForErrors">A file name or label to put in error messages.</param>
    /// <param name="options">Limits; <see cref="ImageDecodeOptions.Default"/> when null.</param>
    /// <exception cref="ImageDecodeException">The data is empty, truncated, damaged, too large or not an image.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> data, string? nameForErrors = null, ImageDecodeOptions? options = null) =>
        DecodeScaled(data, nameForErrors, options, null).Image;

    /// <summary>
    /// Reads an image's header and tells the size it will be decoded at and the memory decoding it takes, without
    /// decoding any pixel; a caller that budgets memory charges <see cref="ImageDecodeEstimate.PeakBytes"/> first.
    /// </summary>
    /// <exception cref="ImageDecodeException">The data is empty, not an image, or larger than <see cref="ImageDecodeOptions.MaxPixels"/>.</exception>
    public static ImageDecodeEstimate Measure(ReadOnlySpan<byte> data, string? nameForErrors = null, ImageDecodeOptions? options = null)
    {
        options ??= ImageDecodeOptions.Default;
        return WithCodec(data, nameForErrors, (codec, label) =>
        {
            var plan = Plan(codec, options, label, nameForErrors, null);
            var (w, h, dw, dh) = (codec.Info.Width, codec.Info.Height, plan.Width, plan.Height);
            return SwapsAxes(codec, options) ? new ImageDecodeEstimate(h, w, dh, dw, plan.PeakBytes) : new ImageDecodeEstimate(w, h, dw, dh, plan.PeakBytes);
        });
    }

    /// <summary>Opens a codec over <paramref name="data"/> without copying it and hands it, with the label for error
    /// messages, to <paramref name="use"/>; the codec is disposed before the pin on the bytes is released.</summary>
    private static unsafe T WithCodec<T>(ReadOnlySpan<byte> data, string? nameForErrors, Func<SKCodec, string, T> use)
    {
        var label = nameForErrors is null ? "The image" : $"Image '{nameForErrors}'";
        if (data.IsEmpty)
        {
            throw new ImageDecodeException(ImageDecodeException.EmptyCode,
                $"{label} is empty (0 bytes); re-download or re-export it.", nameForErrors);
        }
        fixed (byte* pointer = data)
        {
            using var skData = SKData.Create((IntPtr)pointer, data.Length);
            using var stream = new SKMemoryStream(skData);
            using var codec = SKCodec.Create(stream, out var createResult);
            if (codec is null)
            {
                throw CreateFailed(createResult, data, label, nameForErrors);
            }
            return use(codec, label);
        }
    }

    /// <summary>How an image will be decoded: at full size, by the codec's own scaling, or reduced row by row by a box of
    /// <see cref="Box"/> × <see cref="Box"/> pixels; <see cref="ScaleX"/> and <see cref="ScaleY"/> are decoded pixels per
    /// encoded pixel (before orientation).</summary>
    private readonly record struct DecodePlan(int Width, int Height, bool CodecScaled, int Box, bool Scanline, long PeakBytes,
        double ScaleX = 1, double ScaleY = 1);

    /// <summary>Checks the header's size against the limits and picks how to decode.</summary>
    private static DecodePlan Plan(SKCodec codec, ImageDecodeOptions options, string label, string? name, Func<int, int, double>? minimumScale)
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
        if (minimumScale is not null && CoveringScale(codec, options, minimumScale) is { } covering
            && (options.MaxDecodedPixels is not long limit || (long)covering.Width * covering.Height <= limit))
        {
            return covering;
        }
        if (options.MaxDecodedPixels is not long max || pixels <= max)
        {
            return new DecodePlan(width, height, false, 1, false, Cost(width, height));
        }
        // The codec's own scaling (JPEG's DCT scaling) decodes straight to the smaller size, in eighths.
        for (var eighths = 7; eighths >= 1; eighths--)
        {
            var scaled = codec.GetScaledDimensions(eighths / 8f);
            if (scaled.Width < width && scaled.Width > 0 && scaled.Height > 0 && (long)scaled.Width * scaled.Height <= max)
            {
                return CodecScaledPlan(codec, eighths, scaled);
            }
        }
        var box = (int)Math.Ceiling(Math.Sqrt((double)pixels / max));
        while ((long)Ceiling(width, box) * Ceiling(height, box) > max)
        {
            box++;
        }
        int outW = Ceiling(width, box), outH = Ceiling(height, box);
        // Row by row (JPEG, WebP): one band of box rows and the column sums next to the output. Codecs without scanline
        // decoding (Skia's PNG) are decoded whole first, into native memory freed as soon as the image is reduced.
        var scanline = codec.ScanlineOrder == SKCodecScanlineOrder.TopDown && codec.StartScanlineDecode(SourceInfo(codec)) == SKCodecResult.Success;
        var transient = scanline ? 4L * width * box + 16L * outW : 4L * pixels;
        return new DecodePlan(outW, outH, false, box, scanline, Cost(outW, outH) + transient, 1.0 / box, 1.0 / box);
    }

    /// <summary>The smallest of the codec's own scales (in eighths) that is still at least the scale asked for, or null
    /// when the codec cannot decode smaller (PNG) or no reduction is asked.</summary>
    private static DecodePlan? CoveringScale(SKCodec codec, ImageDecodeOptions options, Func<int, int, double> minimumScale)
    {
        int width = codec.Info.Width, height = codec.Info.Height;
        var wanted = SwapsAxes(codec, options) ? minimumScale(height, width) : minimumScale(width, height);
        for (var eighths = 1; eighths <= 7; eighths++)
        {
            if (eighths / 8.0 < wanted)
            {
                continue;
            }
            var scaled = codec.GetScaledDimensions(eighths / 8f);
            if (scaled.Width <= 0 || scaled.Height <= 0 || scaled.Width >= width || scaled.Height >= height)
            {
                return null;
            }
            var plan = CodecScaledPlan(codec, eighths, scaled);
            // The decoded image must still cover the scale on both axes (codecs other than JPEG round their sizes).
            if (plan.ScaleX >= wanted && plan.ScaleY >= wanted)
            {
                return plan;
            }
        }
        return null;
    }

    /// <summary>A decode by the codec's own scaling. JPEG decodes each 8×8 block into <paramref name="eighths"/> ×
    /// <paramref name="eighths"/> pixels (the size rounded up over a partial last block), so its scale is exact in eighths;
    /// other codecs' scale is the size ratio.</summary>
    private static DecodePlan CodecScaledPlan(SKCodec codec, int eighths, SKSizeI scaled) =>
        codec.EncodedFormat == SKEncodedImageFormat.Jpeg
            ? new DecodePlan(scaled.Width, scaled.Height, true, 1, false, Cost(scaled.Width, scaled.Height), eighths / 8.0, eighths / 8.0)
            : new DecodePlan(scaled.Width, scaled.Height, true, 1, false, Cost(scaled.Width, scaled.Height),
                (double)scaled.Width / codec.Info.Width, (double)scaled.Height / codec.Info.Height);

    /// <summary>Peak memory of a decode to <paramref name="width"/> × <paramref name="height"/>: RGBA from the codec plus
    /// the RGB image it becomes.</summary>
    private static long Cost(long width, long height) => width * height * 7;

    /// <summary>Whether the image's upright orientation swaps its encoded width and height.</summary>
    private static bool SwapsAxes(SKCodec codec, ImageDecodeOptions options) =>
        options.ApplyOrientation && PixelConversion.SwapsAxes(codec.EncodedOrigin);

    private static int Ceiling(int value, int divisor) => (value + divisor - 1) / divisor;

    private static SKImageInfo SourceInfo(SKCodec codec) => new(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888,
        codec.Info.AlphaType != SKAlphaType.Opaque ? SKAlphaType.Unpremul : SKAlphaType.Opaque);

    private static RgbImage DecodeWith(SKCodec codec, DecodePlan plan, ImageDecodeOptions options, string label, string? name)
    {
        var info = codec.Info;
        if (plan.Box > 1)
        {
            return DecodeReduced(codec, plan, options, label, name);
        }
        var (width, height) = (plan.Width, plan.Height);

        var hasAlpha = info.AlphaType != SKAlphaType.Opaque;
        // No colour space on the destination: Skia then converts formats but does no colour management.
        var target = new SKImageInfo(width, height, SKColorType.Rgba8888, hasAlpha ? SKAlphaType.Unpremul : SKAlphaType.Opaque);
        var size = target.BytesSize;
        // Large buffers live in native memory, freed the moment the image is converted (the shared pool would keep
        // them for the life of the process, the GC until its next full collection).
        using var rgba = new PixelBuffer(size);
        var result = codec.GetPixels(target, rgba.Pointer);
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

        return ToRgb(codec, options, rgba.Span, width, height, hasAlpha, truncated);
    }

    private static RgbImage ToRgb(SKCodec codec, ImageDecodeOptions options, ReadOnlySpan<byte> rgba, int width, int height, bool hasAlpha, bool truncated)
    {
        var origin = options.ApplyOrientation ? codec.EncodedOrigin : SKEncodedOrigin.TopLeft;
        var swap = PixelConversion.SwapsAxes(origin);
        var image = RgbImage.Rent(swap ? height : width, swap ? width : height, truncated);
        PixelConversion.RgbaToRgb(rgba, width, height, origin, hasAlpha, image.WritablePixels);
        return image;
    }

    /// <summary>
    /// Decodes an image larger than <see cref="ImageDecodeOptions.MaxDecodedPixels"/> into the smaller size of
    /// <paramref name="plan"/>, averaging each box of source pixels. Codecs with scanline decoding (JPEG, WebP) are read a
    /// band of rows at a time, so the full-size pixels are never held; others (Skia's PNG) are decoded whole into native
    /// memory that is freed as soon as the image is reduced.
    /// </summary>
    private static unsafe RgbImage DecodeReduced(SKCodec codec, DecodePlan plan, ImageDecodeOptions options, string label, string? name)
    {
        var info = codec.Info;
        int width = info.Width, height = info.Height, box = plan.Box;
        var hasAlpha = info.AlphaType != SKAlphaType.Opaque;
        var source = SourceInfo(codec);
        using var output = new PixelBuffer(4 * plan.Width * plan.Height);
        var sums = new long[4 * plan.Width];
        var truncated = false;
        if (plan.Scanline && codec.StartScanlineDecode(source) == SKCodecResult.Success)
        {
            var band = new byte[4 * width * box];
            for (var outY = 0; outY < plan.Height; outY++)
            {
                var rows = Math.Min(box, height - outY * box);
                int read;
                fixed (byte* p = band)
                {
                    read = codec.GetScanlines((IntPtr)p, rows, 4 * width);
                }
                if (read < rows)
                {
                    if (!options.AllowTruncated)
                    {
                        throw new ImageDecodeException(ImageDecodeException.TruncatedCode,
                            $"{label} ({codec.EncodedFormat}, {width}x{height}) ends before all its pixels; the file was cut short, " +
                            "re-download it (or set ImageDecodeOptions.AllowTruncated to accept the partial image).", name);
                    }
                    // Skia fills the rows it could not decode, as in a full decode.
                    truncated = true;
                }
                ReduceBand(band, width, rows, box, sums, output.Span.Slice(4 * outY * plan.Width, 4 * plan.Width));
            }
        }
        else
        {
            using var full = new PixelBuffer(source.BytesSize);
            var result = codec.GetPixels(source, full.Pointer);
            if (result is SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput && options.AllowTruncated)
            {
                truncated = true;
            }
            else if (result != SKCodecResult.Success)
            {
                throw new ImageDecodeException(result == SKCodecResult.IncompleteInput ? ImageDecodeException.TruncatedCode : ImageDecodeException.CorruptCode,
                    $"{label} ({codec.EncodedFormat}, {width}x{height}) could not be decoded ({result}); re-download or re-export it.", name);
            }
            for (var outY = 0; outY < plan.Height; outY++)
            {
                var rows = Math.Min(box, height - outY * box);
                ReduceBand(full.Span.Slice(4 * width * outY * box, 4 * width * rows), width, rows, box, sums,
                    output.Span.Slice(4 * outY * plan.Width, 4 * plan.Width));
            }
        }
        return ToRgb(codec, options, output.Span, plan.Width, plan.Height, hasAlpha, truncated);
    }

    /// <summary>Averages <paramref name="rows"/> rows of RGBA into one output row of boxes <paramref name="box"/> pixels wide
    /// (the last box of a row or band may be narrower).</summary>
    private static void ReduceBand(ReadOnlySpan<byte> band, int width, int rows, int box, long[] sums, Span<byte> outRow)
    {
        Array.Clear(sums);
        for (var y = 0; y < rows; y++)
        {
            var row = band.Slice(4 * width * y, 4 * width);
            for (var x = 0; x < width; x++)
            {
                var o = 4 * (x / box);
                var i = 4 * x;
                sums[o] += row[i];
                sums[o + 1] += row[i + 1];
                sums[o + 2] += row[i + 2];
                sums[o + 3] += row[i + 3];
            }
        }
        var outWidth = outRow.Length / 4;
        for (var ox = 0; ox < outWidth; ox++)
        {
            var columns = Math.Min(box, width - ox * box);
            var count = (long)columns * rows;
            for (var c = 0; c < 4; c++)
            {
                outRow[4 * ox + c] = (byte)((sums[4 * ox + c] + count / 2) / count);
            }
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

    /// <summary>A decode's scratch pixels: pooled when small, native memory (freed on dispose) when large.</summary>
    private sealed unsafe class PixelBuffer : IDisposable
    {
        private readonly byte[]? _pooled;
        private GCHandle _pin;
        private void* _native;

        public PixelBuffer(int size)
        {
            Length = size;
            if (size <= RgbImage.PoolLimit)
            {
                _pooled = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
                _pin = GCHandle.Alloc(_pooled, GCHandleType.Pinned);
                Pointer = _pin.AddrOfPinnedObject();
            }
            else
            {
                _native = NativeMemory.Alloc((nuint)size);
                Pointer = (IntPtr)_native;
            }
        }

        public int Length { get; }

        public IntPtr Pointer { get; }

        public Span<byte> Span => new((void*)Pointer, Length);

        public void Dispose()
        {
            if (_pooled is not null)
            {
                if (_pin.IsAllocated)
                {
                    _pin.Free();
                    ArrayPool<byte>.Shared.Return(_pooled);
                }
            }
            else if (_native is not null)
            {
                NativeMemory.Free(_native);
                _native = null;
            }
        }
    }
}
