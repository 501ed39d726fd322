using System.Buffers;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace ModelZoo.Imaging;

/// <summary>
/// A decoded, upright image as 8-bit RGB: <see cref="Pixels"/> holds <c>3 × Width × Height</c> bytes,
/// row-major, channels interleaved R,G,B. Transparency has already been composited onto white.
/// </summary>
/// <remarks>
/// Images the library creates borrow their buffer from a shared pool and hand it back on
/// <see cref="Dispose"/>; a span taken from <see cref="Pixels"/> is valid only while the image lives.
/// Forgetting to dispose is not a leak (the buffer is then collected normally), it only costs an allocation.
/// Reading an image from several threads at once is safe; disposing it while others read is not.
/// </remarks>
public sealed class RgbImage : IDisposable
{
    private byte[]? _buffer;
    private readonly bool _pooled;

    private RgbImage(int width, int height, byte[] buffer, bool pooled, bool truncated)
    {
        Width = width;
        Height = height;
        _buffer = buffer;
        _pooled = pooled;
        IsTruncated = truncated;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>True when the image was decoded from data that ended early and
    /// <see cref="ImageDecodeOptions.AllowTruncated"/> let it through; the missing rows are codec fill.</summary>
    public bool IsTruncated { get; }

    /// <summary>RGB bytes, <c>3 × Width × Height</c>, row-major. Valid until <see cref="Dispose"/>.</summary>
    public ReadOnlySpan<byte> Pixels => Buffer.AsSpan(0, 3 * Width * Height);

    internal Span<byte> WritablePixels => Buffer.AsSpan(0, 3 * Width * Height);

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(RgbImage));

    /// <summary>Wraps caller-owned RGB bytes (<c>3 × width × height</c>, row-major) without copying them.</summary>
    /// <exception cref="ArgumentException">The sizes are not positive or the array length does not match.</exception>
    public static RgbImage FromPixels(int width, int height, byte[] rgb)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if ((long)width * height * 3 != rgb.Length)
        {
            throw new ArgumentException(
                $"Expected {(long)width * height * 3} bytes for a {width}x{height} RGB image but got {rgb.Length}.", nameof(rgb));
        }
        return new RgbImage(width, height, rgb, pooled: false, truncated: false);
    }

    /// <summary>Copies a Skia bitmap of any colour type into a new image, compositing transparency onto white.
    /// The bitmap stays owned by the caller.</summary>
    public static RgbImage FromBitmap(SKBitmap bitmap)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        var info = new SKImageInfo(bitmap.Width, bitmap.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = ArrayPool<byte>.Shared.Rent(info.BytesSize);
        try
        {
            var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
            try
            {
                if (!bitmap.PeekPixels().ReadPixels(info, handle.AddrOfPinnedObject(), info.RowBytes, 0, 0))
                {
                    throw new ArgumentException($"Skia cannot convert a {bitmap.ColorType} bitmap to RGBA.", nameof(bitmap));
                }
            }
            finally
            {
                handle.Free();
            }
            var image = Rent(bitmap.Width, bitmap.Height);
            PixelConversion.RgbaToRgb(rgba.AsSpan(0, info.BytesSize), bitmap.Width, bitmap.Height,
                SKEncodedOrigin.TopLeft, hasAlpha: bitmap.AlphaType != SKAlphaType.Opaque, image.WritablePixels);
            return image;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgba);
        }
    }

    /// <summary>The colour of one pixel.</summary>
    public (byte R, byte G, byte B) GetPixel(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
        {
            throw new ArgumentOutOfRangeException(nameof(x), $"Pixel ({x},{y}) is outside the {Width}x{Height} image.");
        }
        var p = Pixels.Slice(3 * (y * Width + x), 3);
        return (p[0], p[1], p[2]);
    }

    /// <summary>Copies the pixels into a new opaque RGBA Skia bitmap (for drawing or encoding); the caller owns and disposes it.</summary>
    public SKBitmap ToBitmap()
    {
        var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var dst = bitmap.GetPixelSpan();
        var src = Pixels;
        var rowBytes = bitmap.RowBytes;
        for (var y = 0; y < Height; y++)
        {
            var s = src.Slice(y * Width * 3, Width * 3);
            var d = dst.Slice(y * rowBytes, Width * 4);
            for (int x = 0, i = 0, o = 0; x < Width; x++, i += 3, o += 4)
            {
                d[o] = s[i];
                d[o + 1] = s[i + 1];
                d[o + 2] = s[i + 2];
                d[o + 3] = 255;
            }
        }
        bitmap.NotifyPixelsChanged();
        return bitmap;
    }

    /// <summary>Returns a pooled buffer to the pool. Further access to <see cref="Pixels"/> throws.</summary>
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = null;
        if (buffer is not null && _pooled)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Largest buffer taken from the shared pool. The pool keeps what it is given back, per core, for the life of
    /// the process, so big photos' buffers are plain allocations the GC can hand back to the system.</summary>
    internal const int PoolLimit = 8 * 1024 * 1024;

    /// <summary>An image whose (uninitialised) buffer comes from the shared pool, or is allocated when it is large.</summary>
    internal static RgbImage Rent(int width, int height, bool truncated = false)
    {
        var size = checked(3 * width * height);
        return size <= PoolLimit
            ? new(width, height, ArrayPool<byte>.Shared.Rent(size), pooled: true, truncated)
            : new(width, height, GC.AllocateUninitializedArray<byte>(size), pooled: false, truncated);
    }
}
