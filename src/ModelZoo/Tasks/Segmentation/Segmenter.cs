using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ModelZoo.Tasks;

/// <summary>
/// Per-pixel masks with an <see cref="ModelTask.ImageSegmentation"/> model: preprocessing from the card, the
/// decoder it names (<c>selfie</c>, <c>meet</c>, <c>semantic-argmax</c>), and probabilities resampled (bilinear) onto the original image
/// through the preprocessing transform, so letterbox padding never leaks into the mask. Thread-safe.
/// </summary>
public sealed class Segmenter : ImageModelPipeline<Segmenter, IReadOnlyList<SegmentationMask>, SegmentationOptions>, IImagePipelineFactory<Segmenter>
{
    private readonly ISegmentationDecoder _decoder;
    private readonly IReadOnlyList<string>? _labels;
    private readonly int _labelOffset;

    /// <summary>The segmentation decoders by the names cards use in <c>output.decoder</c>; entries are added here by hand.</summary>
    internal static DecoderRegistry<ISegmentationDecoder> DecoderTable { get; } = new("image segmentation",
    [
        ("selfie", new PersonMaskDecoder()),
        ("meet", new PersonMaskDecoder()),
        ("semantic-argmax", new SemanticArgmaxDecoder()),
    ]);

    private Segmenter(LocalModel model, ModelSession session, ImageTaskOptions options) : base(model, session, options)
    {
        _decoder = DecoderTable.Get(model.Card);
        (_labels, _labelOffset) = TaskGuard.Labels(model);
    }

    static ModelTask IImagePipelineFactory<Segmenter>.PipelineTask => ModelTask.ImageSegmentation;

    static void IImagePipelineFactory<Segmenter>.CheckCard(ModelCard card) => DecoderTable.Get(card);

    static Segmenter IImagePipelineFactory<Segmenter>.Create(LocalModel model, ModelSession session, ImageTaskOptions options) =>
        new(model, session, options);


    /// <summary>One mask per class the model segments, the size of <paramref name="image"/>.</summary>
    public IReadOnlyList<SegmentationMask> Segment(RgbImage image, SegmentationOptions? options = null) =>
        Run(image, options ?? new SegmentationOptions());

    private protected override void Validate(SegmentationOptions options) => options.Validate();

    private protected override Func<IReadOnlyList<IReadOnlyList<SegmentationMask>>> Complete(IReadOnlyList<PreparedImage> batch,
        IReadOnlyList<SegmentationOptions> options) =>
        EachImage(batch, options, Runner, (outputs, o) => _decoder.Decode(outputs, _labels, _labelOffset)
            .Select(map => ToMask(map, outputs.Transform, outputs.InputWidth, outputs.InputHeight, o))
            .ToList());

    /// <summary>Samples the map at every source pixel's centre, mapped into model-input and then output-grid coordinates.</summary>
    /// <remarks>The transform is axis-aligned, so each column's (and each row's) grid cell and fraction is computed
    /// once, and so is each grid row blended horizontally to the image's columns (a grid row serves every image row
    /// between it and the next); the per-pixel work is one vertical blend of two such rows, with the same float
    /// operations in the same order as blending the four map values in place, so the mask is unchanged.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static SegmentationMask ToMask(ProbabilityMap map, ImageTransform transform, int inputWidth, int inputHeight, SegmentationOptions options)
    {
        int w = transform.SourceWidth, h = transform.SourceHeight;
        var alpha = GC.AllocateUninitializedArray<byte>(w * h);
        var gridX = (float)map.Width / inputWidth;
        var gridY = (float)map.Height / inputHeight;
        var x0s = new int[w];
        var x1s = new int[w];
        var fxs = new float[w];
        for (var x = 0; x < w; x++)
        {
            var (ix, _) = transform.MapToInput(x + 0.5f, 0.5f);
            (x0s[x], x1s[x], fxs[x]) = Cell(ix * gridX - 0.5f, map.Width);
        }
        var values = map.Values;
        var threshold = options.Threshold;
        var soft = options.SoftEdges;
        long covered = 0;
        // Grid rows blended to the image's columns, two at a time (the rows an image row sits between).
        var blended = new float[2 * w];
        int topRow = -1, bottomRow = -1;
        Span<float> topBlend = blended.AsSpan(0, w), bottomBlend = blended.AsSpan(w, w);
        for (var y = 0; y < h; y++)
        {
            var (_, iy) = transform.MapToInput(0.5f, y + 0.5f);
            var (y0, y1, fy) = Cell(iy * gridY - 0.5f, map.Height);
            if (y0 != topRow)
            {
                if (y0 == bottomRow)
                {
                    var swap = topBlend;
                    topBlend = bottomBlend;
                    bottomBlend = swap;
                    (topRow, bottomRow) = (bottomRow, -1);
                }
                else
                {
                    BlendRow(values.AsSpan(y0 * map.Width, map.Width), x0s, x1s, fxs, topBlend);
                    topRow = y0;
                }
            }
            if (y1 != bottomRow)
            {
                BlendRow(values.AsSpan(y1 * map.Width, map.Width), x0s, x1s, fxs, bottomBlend);
                bottomRow = y1;
            }
            var row = alpha.AsSpan(y * w, w);
            var gy = 1 - fy;
            var x = Vector256.IsHardwareAccelerated ? BlendRows(topBlend, bottomBlend, gy, fy, threshold, soft, row, ref covered) : 0;
            for (; x < w; x++)
            {
                var p = topBlend[x] * gy + bottomBlend[x] * fy;
                var inside = p >= threshold;
                if (inside) covered++;
                row[x] = soft ? (byte)Math.Clamp(MathF.Round(p * 255f), 0f, 255f) : inside ? (byte)255 : (byte)0;
            }
        }
        return new SegmentationMask(map.Label, w, h, alpha, (float)covered / (w * h));
    }

    /// <summary>The scalar loop's work on whole blocks of 32 pixels, 8 lanes at a time (the same multiplies and adds, no
    /// fused multiply-add, rounding half to even as <c>MathF.Round</c>), so the mask is the same to the byte; returns
    /// the first column left for the scalar loop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int BlendRows(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, float gy, float fy, float threshold, bool soft,
        Span<byte> row, ref long covered)
    {
        var weightTop = Vector256.Create(gy);
        var weightBottom = Vector256.Create(fy);
        var cut = Vector256.Create(threshold);
        var x = 0;
        var count = 0;
        for (; x + 32 <= row.Length; x += 32)
        {
            var low = Vector256.Narrow(Lane(top, bottom, x, weightTop, weightBottom, cut, soft, ref count),
                Lane(top, bottom, x + 8, weightTop, weightBottom, cut, soft, ref count));
            var high = Vector256.Narrow(Lane(top, bottom, x + 16, weightTop, weightBottom, cut, soft, ref count),
                Lane(top, bottom, x + 24, weightTop, weightBottom, cut, soft, ref count));
            Vector256.Narrow(low, high).CopyTo(row[x..]);
        }
        covered += count;
        return x;
    }

    /// <summary>Eight pixels of <see cref="BlendRows"/>: their mask bytes, widened to 32 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Lane(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, int at, Vector256<float> weightTop,
        Vector256<float> weightBottom, Vector256<float> cut, bool soft, ref int count)
    {
        var p = Vector256.Create(top.Slice(at, 8)) * weightTop + Vector256.Create(bottom.Slice(at, 8)) * weightBottom;
        var inside = Vector256.GreaterThanOrEqual(p, cut);
        count += BitOperations.PopCount(inside.ExtractMostSignificantBits());
        return soft
            ? Vector256.ConvertToUInt32(Vector256.Clamp(Vector256.Round(p * 255f), Vector256<float>.Zero, Vector256.Create(255f)))
            : inside.AsUInt32() & Vector256.Create(255u);
    }

    /// <summary>One grid row sampled at every image column: <c>row[x0] * (1 - fx) + row[x1] * fx</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BlendRow(ReadOnlySpan<float> gridRow, int[] x0s, int[] x1s, float[] fxs, Span<float> output)
    {
        for (var x = 0; x < output.Length; x++)
        {
            var fx = fxs[x];
            output[x] = gridRow[x0s[x]] * (1 - fx) + gridRow[x1s[x]] * fx;
        }
    }

    /// <summary>The two grid cells either side of <paramref name="g"/> (clamped to the grid) and the fraction between them.</summary>
    private static (int Lo, int Hi, float Fraction) Cell(float g, int size)
    {
        g = Math.Clamp(g, 0f, size - 1);
        var lo = (int)g;
        return (lo, Math.Min(lo + 1, size - 1), g - lo);
    }
}
