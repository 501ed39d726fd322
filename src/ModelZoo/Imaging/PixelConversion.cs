using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using SkiaSharp;

namespace ModelZoo.Imaging;

/// <summary>RGBA → RGB with EXIF orientation and compositing on white, in one pass.</summary>
internal static class PixelConversion
{
    /// <summary>Whether an origin swaps width and height (EXIF orientations 5–8).</summary>
    public static bool SwapsAxes(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    /// <summary>
    /// Converts stored RGBA (unpremultiplied, <paramref name="width"/> × <paramref name="height"/> as
    /// encoded) into upright RGB. Output is <c>height × width</c> when the origin swaps axes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RgbaToRgb(ReadOnlySpan<byte> rgba, int width, int height, SKEncodedOrigin origin, bool hasAlpha, Span<byte> rgb)
    {
        if (origin == SKEncodedOrigin.TopLeft && !hasAlpha)
        {
            // Upright opaque photos, nearly every input: rows are contiguous on both sides, so the whole image is one run.
            DropAlpha(rgba[..(4 * width * height)], rgb[..(3 * width * height)]);
            return;
        }
        var swap = SwapsAxes(origin);
        var outW = swap ? height : width;
        var outH = swap ? width : height;
        // Source position of output (x, y) is sx = ax + bx*x + cx*y, sy = ay + by*x + cy*y.
        int ax = 0, bx = 1, cx = 0, ay = 0, by = 0, cy = 1;
        switch (origin)
        {
            case SKEncodedOrigin.TopRight: ax = width - 1; bx = -1; break;                        // 2: mirror left-right
            case SKEncodedOrigin.BottomRight: ax = width - 1; bx = -1; ay = height - 1; cy = -1; break; // 3: rotate 180
            case SKEncodedOrigin.BottomLeft: ay = height - 1; cy = -1; break;                      // 4: mirror top-bottom
            case SKEncodedOrigin.LeftTop: bx = 0; cx = 1; by = 1; cy = 0; break;                   // 5: transpose
            case SKEncodedOrigin.RightTop: bx = 0; cx = 1; ay = height - 1; by = -1; cy = 0; break; // 6: rotate 90 clockwise
            case SKEncodedOrigin.RightBottom: ax = width - 1; bx = 0; cx = -1; ay = height - 1; by = -1; cy = 0; break; // 7: transverse
            case SKEncodedOrigin.LeftBottom: ax = width - 1; bx = 0; cx = -1; by = 1; cy = 0; break; // 8: rotate 90 counter-clockwise
        }
        var srcStep = 4 * (bx + by * width); // bytes between horizontally adjacent output pixels
        for (var y = 0; y < outH; y++)
        {
            var s = 4 * ((ax + cx * y) + (ay + cy * y) * width);
            var row = rgb.Slice(3 * y * outW, 3 * outW);
            if (hasAlpha)
            {
                for (var o = 0; o < row.Length; o += 3, s += srcStep)
                {
                    int a = rgba[s + 3];
                    var white = 255 * (255 - a) + 127;
                    row[o] = (byte)((rgba[s] * a + white) / 255);
                    row[o + 1] = (byte)((rgba[s + 1] * a + white) / 255);
                    row[o + 2] = (byte)((rgba[s + 2] * a + white) / 255);
                }
            }
            else
            {
                for (var o = 0; o < row.Length; o += 3, s += srcStep)
                {
                    row[o] = rgba[s];
                    row[o + 1] = rgba[s + 1];
                    row[o + 2] = rgba[s + 2];
                }
            }
        }
    }

    /// <summary>Copies the first three bytes of every four: the same bytes as the per-pixel loop, four pixels per
    /// shuffle. Each store writes 16 bytes of which the last 4 are overwritten by the next one, so the vector loop
    /// stops while 16 bytes of output remain and the scalar loop finishes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DropAlpha(ReadOnlySpan<byte> rgba, Span<byte> rgb)
    {
        ref var src = ref MemoryMarshal.GetReference(rgba);
        ref var dst = ref MemoryMarshal.GetReference(rgb);
        int s = 0, o = 0;
        if (Ssse3.IsSupported)
        {
            var order = Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 3, 7, 11, 15);
            for (; o + 16 <= rgb.Length && s + 16 <= rgba.Length; s += 16, o += 12)
            {
                Ssse3.Shuffle(Vector128.LoadUnsafe(ref src, (nuint)s), order).StoreUnsafe(ref dst, (nuint)o);
            }
        }
        else if (AdvSimd.Arm64.IsSupported)
        {
            var order = Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 3, 7, 11, 15);
            for (; o + 16 <= rgb.Length && s + 16 <= rgba.Length; s += 16, o += 12)
            {
                AdvSimd.Arm64.VectorTableLookup(Vector128.LoadUnsafe(ref src, (nuint)s), order).StoreUnsafe(ref dst, (nuint)o);
            }
        }
        for (; o < rgb.Length; s += 4, o += 3)
        {
            Unsafe.Add(ref dst, o) = Unsafe.Add(ref src, s);
            Unsafe.Add(ref dst, o + 1) = Unsafe.Add(ref src, s + 1);
            Unsafe.Add(ref dst, o + 2) = Unsafe.Add(ref src, s + 2);
        }
    }
}
