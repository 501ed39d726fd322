using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace ModelZoo.Imaging;

/// <summary>
/// Turns an <see cref="RgbImage"/> into a model's input tensor as its <see cref="InputSpec"/> declares:
/// resize (stretch, centre crop, letterbox), channel order, <c>(pixel * Scale - Mean) / Std</c>, and
/// layout (NCHW or NHWC), written straight into the caller's buffer.
/// </summary>
/// <remarks>
/// Geometry follows the reference pipelines: <see cref="ResizeMode.CenterCrop"/> is torchvision's
/// <c>Resize(ResizeShorterSide)</c> + <c>CenterCrop</c> (long side truncated, crop offset rounded half
/// to even); <see cref="ResizeMode.Letterbox"/> scales by <c>min(W/w, H/h)</c>, rounds the new size and
/// centres it (padding split with the odd pixel on the right/bottom, as in YOLO letterboxing).
/// Resampling is PIL-style antialiased bilinear (see the resampler's notes); the resized image is
/// rounded to 8 bits before normalisation, as a PIL image is before <c>ToTensor</c>.
/// All methods are stateless and thread-safe; scratch memory comes from <see cref="ArrayPool{T}.Shared"/>.
/// </remarks>
public static class ImagePreprocessor
{
    /// <summary>Number of elements one image occupies in the input tensor: channels × height × width.</summary>
    /// <exception cref="ZooException">The spec's size varies per image (<see cref="ResizeMode.LimitSide"/>): resolve it
    /// with <see cref="ForImage"/> first.</exception>
    public static int TensorLength(InputSpec spec)
    {
        Validate(spec);
        RequireFixedSize(spec);
        return Channels(spec) * spec.Width * spec.Height;
    }

    /// <summary>
    /// The concrete spec for one image of <paramref name="width"/> × <paramref name="height"/> pixels. For
    /// <see cref="ResizeMode.LimitSide"/> this is the per-image tensor size (scaled down to fit inside the spec's
    /// size, each side rounded to a multiple of <see cref="InputSpec.SizeMultiple"/>, at least one multiple) with
    /// a plain stretch to it; every other spec is returned unchanged.
    /// </summary>
    public static InputSpec ForImage(InputSpec spec, int width, int height)
    {
        Validate(spec);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (spec.Resize != ResizeMode.LimitSide)
        {
            return spec;
        }
        var ratio = Math.Min(1.0, Math.Min((double)spec.Width / width, (double)spec.Height / height));
        var multiple = spec.SizeMultiple;
        // PaddleOCR truncates the scaled size, then rounds it to the nearest multiple (at least one).
        static int Side(int size, double ratio, int multiple, int limit)
        {
            var scaled = (int)(size * ratio);
            var rounded = (int)Math.Round((double)scaled / multiple, MidpointRounding.ToEven) * multiple;
            return Math.Clamp(rounded, multiple, Math.Max(multiple, limit / multiple * multiple));
        }
        return spec with
        {
            Width = Side(width, ratio, multiple, spec.Width),
            Height = Side(height, ratio, multiple, spec.Height),
            Resize = ResizeMode.Stretch,
        };
    }

    /// <summary>
    /// Resizes, converts and normalises <paramref name="image"/> into <paramref name="destination"/>,
    /// which must hold at least <see cref="TensorLength"/> floats (only that many are written, so a
    /// slice of a batch buffer works). Returns the map from model-input pixels back to the image.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    /// <exception cref="ZooException">The spec is invalid (code <c>input-spec-invalid</c>).</exception>
    public static ImageTransform WriteTensor(RgbImage image, InputSpec spec, Span<float> destination)
        => Write<float>(image, spec, destination, "floats", PackNormalized);

    /// <summary>
    /// Like <see cref="WriteTensor(RgbImage, InputSpec, Span{float})"/> for models whose input is
    /// <c>uint8</c>: writes the resized 0–255 pixels in the spec's layout and colour order;
    /// <see cref="InputSpec.Scale"/>, Mean and Std are not applied.
    /// </summary>
    public static ImageTransform WriteTensor(RgbImage image, InputSpec spec, Span<byte> destination)
        => Write<byte>(image, spec, destination, "bytes", Pack);

    /// <summary>The resized 0–255 pixels as <c>int32</c> elements (MoveNet's input), written without a byte tensor in
    /// between.</summary>
    internal static ImageTransform WriteTensor(RgbImage image, InputSpec spec, Span<int> destination)
        => Write<int>(image, spec, destination, "elements", Pack);

    /// <summary>
    /// The model-input image itself (spec width × height, resized, cropped or letterboxed, still RGB
    /// whatever the spec's colour order), for thumbnails and debugging. The caller disposes it.
    /// </summary>
    public static RgbImage Resize(RgbImage image, InputSpec spec, out ImageTransform transform)
    {
        ArgumentNullException.ThrowIfNull(image);
        Validate(spec);
        RequireFixedSize(spec);
        var result = RgbImage.Rent(spec.Width, spec.Height);
        try
        {
            transform = Render(image, spec, result.WritablePixels);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>Computes where the image lands in the model input (no pixels touched).</summary>
    public static ImageTransform GetTransform(int sourceWidth, int sourceHeight, InputSpec spec)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceHeight);
        Validate(spec);
        RequireFixedSize(spec);
        return Plan.For(sourceWidth, sourceHeight, spec).Transform(sourceWidth, sourceHeight);
    }

    /// <summary>
    /// How much an image of this size is shrunk into the model input: the larger of the resized size's ratios to the
    /// image on the two axes (at least 1 when the image is enlarged, and 1 for sizes that depend on each image). An image
    /// decoded at this scale or more is still only shrunk by the resampler.
    /// </summary>
    public static double ResizeScale(int width, int height, InputSpec spec)
    {
        if (spec.Resize == ResizeMode.LimitSide || width <= 0 || height <= 0)
        {
            return 1;
        }
        var plan = Plan.For(width, height, spec);
        return Math.Max((double)plan.ResizedW / width, (double)plan.ResizedH / height);
    }

    /// <summary>The least decode scale for images fed to <paramref name="spec"/>: <see cref="ResizeScale"/> of each image's
    /// size, as <see cref="ImageDecoder.DecodeScaled(string, ImageDecodeOptions?, Func{int, int, double}?)"/> takes it.</summary>
    public static Func<int, int, double> DecodeScale(InputSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return (width, height) => ResizeScale(width, height, spec);
    }

    /// <summary>Packs rows of 0–255 pixels into a tensor of one element type.</summary>
    private delegate void Packer<T>(ReadOnlySpan<byte> rgb, InputSpec spec, Span<T> destination);

    // Every element type renders the resized pixels into one pooled buffer first, then packs them.
    private static ImageTransform Write<T>(RgbImage image, InputSpec spec, Span<T> destination, string unit, Packer<T> pack)
    {
        ArgumentNullException.ThrowIfNull(image);
        var length = TensorLength(spec);
        if (destination.Length < length)
        {
            throw new ArgumentException($"Destination is too short: {destination.Length} {unit} for a tensor of {length}.", nameof(destination));
        }
        destination = destination[..length];
        var pixelBytes = 3 * spec.Width * spec.Height;
        var rgb = ArrayPool<byte>.Shared.Rent(pixelBytes);
        try
        {
            var transform = Render(image, spec, rgb.AsSpan(0, pixelBytes));
            pack(rgb.AsSpan(0, pixelBytes), spec, destination);
            return transform;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgb);
        }
    }

    private static ImageTransform Render(RgbImage image, InputSpec spec, Span<byte> rgb)
    {
        var plan = Plan.For(image.Width, image.Height, spec);
        if (plan.CopyW < spec.Width || plan.CopyH < spec.Height)
        {
            // torchvision pads a too-small centre crop with zeros; letterboxing pads with PadValue.
            var pad = spec.Resize is ResizeMode.Letterbox or ResizeMode.PadRight ? (byte)Math.Clamp(MathF.Round(spec.PadValue), 0f, 255f) : (byte)0;
            rgb.Fill(pad);
        }
        BilinearResampler.ResizeWindow(image.Pixels, image.Width, image.Height,
            plan.ResizedW, plan.ResizedH, plan.CropX, plan.CropY, plan.CopyW, plan.CopyH,
            rgb, spec.Width, plan.DestX, plan.DestY);
        return plan.Transform(image.Width, image.Height);
    }

    /// <summary>Reorders interleaved RGB bytes into the tensor's layout and channel order as 0–255 values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pack<T>(ReadOnlySpan<byte> rgb, InputSpec spec, Span<T> destination) where T : struct, INumberBase<T>
    {
        var pixels = spec.Width * spec.Height;
        if (spec.ColorOrder == ColorOrder.Gray)
        {
            for (int i = 0, s = 0; i < pixels; i++, s += 3)
            {
                // ITU-R 601-2 luma with PIL's fixed-point rounding (Image.convert("L")).
                destination[i] = T.CreateTruncating((rgb[s] * 19595 + rgb[s + 1] * 38470 + rgb[s + 2] * 7471 + 0x8000) >> 16);
            }
            return;
        }
        // c0 is the source channel written first (R for RGB, B for BGR).
        var (c0, c2) = spec.ColorOrder == ColorOrder.Bgr ? (2, 0) : (0, 2);
        if (spec.Layout == TensorLayout.Nchw)
        {
            var p0 = destination[..pixels];
            var p1 = destination.Slice(pixels, pixels);
            var p2 = destination.Slice(2 * pixels, pixels);
            for (int i = 0, s = 0; i < pixels; i++, s += 3)
            {
                p0[i] = T.CreateTruncating(rgb[s + c0]);
                p1[i] = T.CreateTruncating(rgb[s + 1]);
                p2[i] = T.CreateTruncating(rgb[s + c2]);
            }
        }
        else
        {
            for (var s = 0; s < rgb.Length; s += 3)
            {
                destination[s] = T.CreateTruncating(rgb[s + c0]);
                destination[s + 1] = T.CreateTruncating(rgb[s + 1]);
                destination[s + 2] = T.CreateTruncating(rgb[s + c2]);
            }
        }
    }

    /// <summary>
    /// Pack and normalisation in one pass: a pixel byte has only 256 values, so each channel's normalised values are a
    /// table of 256 floats, looked up while the bytes are reordered into the tensor's layout.
    /// </summary>
    /// <remarks>The tables are computed by <see cref="Normalize"/> itself, the separate pass this replaces, on the
    /// values 0–255 laid out as the spec's tensor would hold them, so every element is bit for bit what packing and
    /// then normalising gave.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackNormalized(ReadOnlySpan<byte> rgb, InputSpec spec, Span<float> destination)
    {
        var table = Tables.GetValue(spec, BuildTable);
        var pixels = spec.Width * spec.Height;
        if (spec.ColorOrder == ColorOrder.Gray)
        {
            for (int i = 0, s = 0; i < pixels; i++, s += 3)
            {
                destination[i] = table[(rgb[s] * 19595 + rgb[s + 1] * 38470 + rgb[s + 2] * 7471 + 0x8000) >> 16];
            }
            return;
        }
        var (c0, c2) = spec.ColorOrder == ColorOrder.Bgr ? (2, 0) : (0, 2);
        var t0 = table.AsSpan(0, 256);
        var t1 = table.AsSpan(256, 256);
        var t2 = table.AsSpan(512, 256);
        if (spec.Layout == TensorLayout.Nchw)
        {
            var p0 = destination[..pixels];
            var p1 = destination.Slice(pixels, pixels);
            var p2 = destination.Slice(2 * pixels, pixels);
            for (int i = 0, s = 0; i < pixels; i++, s += 3)
            {
                p0[i] = t0[rgb[s + c0]];
                p1[i] = t1[rgb[s + 1]];
                p2[i] = t2[rgb[s + c2]];
            }
        }
        else
        {
            for (var s = 0; s < 3 * pixels; s += 3)
            {
                destination[s] = t0[rgb[s + c0]];
                destination[s + 1] = t1[rgb[s + 1]];
                destination[s + 2] = t2[rgb[s + c2]];
            }
        }
    }

    // One table per spec (a pipeline's spec is one instance for its life), dropped with the spec.
    private static readonly ConditionalWeakTable<InputSpec, float[]> Tables = new();

    /// <summary>The normalised value of every byte value, 256 per tensor channel, as <see cref="Normalize"/> computes it
    /// for the spec's layout: a 16 × 16 image whose pixel <c>i</c> has value <c>i</c> in every channel.</summary>
    private static float[] BuildTable(InputSpec spec)
    {
        var channels = Channels(spec);
        var probe = spec with { Width = 16, Height = 16 };
        var tensor = new float[channels * 256];
        for (var i = 0; i < 256; i++)
        {
            for (var c = 0; c < channels; c++)
            {
                tensor[spec.Layout == TensorLayout.Nchw ? c * 256 + i : i * channels + c] = i;
            }
        }
        Normalize(probe, tensor);
        if (spec.Layout == TensorLayout.Nchw || channels == 1)
        {
            return tensor;
        }
        var table = new float[3 * 256];
        for (var i = 0; i < 256; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                table[c * 256 + i] = tensor[i * 3 + c];
            }
        }
        return table;
    }

    /// <summary>Applies <c>v * (Scale / Std[c]) - Mean[c] / Std[c]</c> channel by channel with SIMD.</summary>
    private static void Normalize(InputSpec spec, Span<float> tensor)
    {
        var channels = Channels(spec);
        Span<float> a = stackalloc float[3];
        Span<float> b = stackalloc float[3];
        for (var c = 0; c < channels; c++)
        {
            var mean = spec.Mean.Count == 1 ? spec.Mean[0] : spec.Mean[c];
            var std = spec.Std.Count == 1 ? spec.Std[0] : spec.Std[c];
            a[c] = spec.Scale / std;
            b[c] = -mean / std;
        }
        var pixels = spec.Width * spec.Height;
        if (channels == 1 || (a[0] == a[1] && a[1] == a[2] && b[0] == b[1] && b[1] == b[2]))
        {
            ScaleShift(tensor, a[0], b[0]);
            return;
        }
        if (spec.Layout == TensorLayout.Nchw)
        {
            for (var c = 0; c < channels; c++)
            {
                var plane = tensor.Slice(c * pixels, pixels);
                ScaleShift(plane, a[c], b[c]);
            }
            return;
        }
        // NHWC: one row at a time against a repeating (a0 a1 a2 …) pattern of the row's length.
        var rowLength = 3 * spec.Width;
        var pattern = ArrayPool<float>.Shared.Rent(2 * rowLength);
        try
        {
            var pa = pattern.AsSpan(0, rowLength);
            var pb = pattern.AsSpan(rowLength, rowLength);
            for (var i = 0; i < rowLength; i++)
            {
                pa[i] = a[i % 3];
                pb[i] = b[i % 3];
            }
            for (var y = 0; y < spec.Height; y++)
            {
                var row = tensor.Slice(y * rowLength, rowLength);
                TensorPrimitives.MultiplyAdd(row, pa, pb, row);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(pattern);
        }
    }

    private static void ScaleShift(Span<float> values, float a, float b)
    {
        TensorPrimitives.Multiply(values, a, values);
        TensorPrimitives.Add(values, b, values);
    }

    private static void RequireFixedSize(InputSpec spec)
    {
        if (spec.Resize == ResizeMode.LimitSide)
        {
            throw ZooErrors.InputSizeDynamic.Raise(
                "The model's input size depends on each image (resize limit-side); resolve it with ImagePreprocessor.ForImage before writing a tensor.");
        }
    }

    private static int Channels(InputSpec spec) => spec.ColorOrder == ColorOrder.Gray ? 1 : 3;

    // Specs already checked: a pipeline's spec is validated once, when it opens, not on every image.
    private static readonly ConditionalWeakTable<InputSpec, object> Validated = new();

    private static void Validate(InputSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (Validated.TryGetValue(spec, out _))
        {
            return;
        }
        var problems = InputSpecRules.Problems(spec);
        if (problems.Count > 0)
        {
            throw ZooErrors.InputSpecInvalid.Raise($"The model's input spec is invalid: {string.Join("; ", problems)}; fix the model card's input section.");
        }
        Validated.TryAdd(spec, Validated);
    }

    /// <summary>Where the source lands: resized size, the window of it that is kept, and where that window goes.</summary>
    private readonly record struct Plan(int ResizedW, int ResizedH, int CropX, int CropY, int CopyW, int CopyH, int DestX, int DestY)
    {
        public ImageTransform Transform(int w, int h) => new(
            (float)ResizedW / w, (float)ResizedH / h, DestX - CropX, DestY - CropY, w, h);

        public static Plan For(int w, int h, InputSpec spec)
        {
            int outW = spec.Width, outH = spec.Height;
            switch (spec.Resize)
            {
                case ResizeMode.CenterCrop:
                {
                    int rw, rh;
                    if (spec.ResizeShorterSide is int side)
                    {
                        // torchvision Resize(int): shorter side to `side`, longer side truncated.
                        if (w <= h) { rw = side; rh = (int)((long)side * h / w); }
                        else { rh = side; rw = (int)((long)side * w / h); }
                    }
                    else if ((long)outW * h >= (long)outH * w)
                    {
                        // Scale so the image just covers the crop along its tighter axis.
                        rw = outW; rh = Math.Max(outH, (int)((long)outW * h / w));
                    }
                    else
                    {
                        rh = outH; rw = Math.Max(outW, (int)((long)outH * w / h));
                    }
                    rw = Math.Max(rw, 1);
                    rh = Math.Max(rh, 1);
                    var (cropX, destX, copyW) = Axis(rw, outW);
                    var (cropY, destY, copyH) = Axis(rh, outH);
                    return new Plan(rw, rh, cropX, cropY, copyW, copyH, destX, destY);
                }
                case ResizeMode.Letterbox:
                {
                    var r = Math.Min((double)outW / w, (double)outH / h);
                    var nw = Math.Clamp((int)Math.Round(w * r, MidpointRounding.ToEven), 1, outW);
                    var nh = Math.Clamp((int)Math.Round(h * r, MidpointRounding.ToEven), 1, outH);
                    return new Plan(nw, nh, 0, 0, nw, nh, (outW - nw) / 2, (outH - nh) / 2);
                }
                case ResizeMode.PadRight:
                {
                    // PaddleOCR: width = ceil(H * w / h), capped at the target width; left-aligned.
                    var nw = Math.Clamp((int)Math.Ceiling((double)outH * w / h), 1, outW);
                    return new Plan(nw, outH, 0, 0, nw, outH, 0, 0);
                }
                default:
                    return new Plan(outW, outH, 0, 0, outW, outH, 0, 0);
            }
        }

        /// <summary>torchvision CenterCrop on one axis: crop offset round((size - out) / 2) half-to-even,
        /// or zero padding split (out - size) / 2 when the resized image is smaller.</summary>
        private static (int Crop, int Dest, int Copy) Axis(int size, int output) =>
            size >= output
                ? ((int)Math.Round((size - output) / 2.0, MidpointRounding.ToEven), 0, output)
                : (0, (output - size) / 2, size);
    }
}
