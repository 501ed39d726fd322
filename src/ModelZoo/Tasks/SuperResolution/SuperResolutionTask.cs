using SkiaSharp;

namespace ModelZoo.Tasks;

/// <summary>The <see cref="ModelTask.SuperResolution"/> task: <see cref="Upscaler"/>, an image upscaled tile by tile.
/// Options <c>tile</c> and <c>overlap</c> (input pixels) set the tiling; the result is written as a PNG.</summary>
public sealed class SuperResolutionTask() : ImageTaskDescriptor<Upscaler, UpscaledImage, UpscaleOptions>(ModelTask.SuperResolution, new UpscaleOptions(),
    Upscaler.Decoders)
{
    /// <summary>Option key: tile side in input pixels.</summary>
    public const string TileKey = "tile";

    /// <summary>Option key: context around each tile in input pixels.</summary>
    public const string OverlapKey = "overlap";

    // No descriptor verb: `zoo upscale` (UpscaleCommand) has options of its own shape (--out, --tile, --overlap)
    // that the shared image-task verb does not carry, and writes no annotated copy of the input.

    /// <inheritdoc />
    public override UpscaleOptions ParseOptions(TaskOptionValues values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var options = DefaultOptions with
        {
            TileSize = values.Int(TileKey) ?? DefaultOptions.TileSize,
            Overlap = values.Int(OverlapKey) ?? DefaultOptions.Overlap,
        };
        options.Validate();
        return options;
    }


    /// <inheritdoc />
    public override JsonObject JsonSchema(ResultJsonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return ResultSchema.Object("The upscaled image.",
            ResultSchema.Required("width", ResultSchema.Integer("Upscaled width in pixels.")),
            ResultSchema.Required("height", ResultSchema.Integer("Upscaled height in pixels.")),
            ResultSchema.Required("scale", ResultSchema.Integer("The model's upscaling factor.")),
            ResultSchema.Required("tiles", ResultSchema.Integer("Tiles the image was run in.")),
            options.EmbedImages
                ? ResultSchema.Required("png", ResultSchema.Png("The upscaled image as a PNG."))
                : ResultSchema.Optional("file", ResultSchema.String("Where the upscaled PNG was saved.")));
    }

    /// <inheritdoc />
    public override void WriteJson(Utf8JsonWriter writer, UpscaledImage result, ResultJsonOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        writer.WriteNumber("width", result.Image.Width);
        writer.WriteNumber("height", result.Image.Height);
        writer.WriteNumber("scale", result.Scale);
        writer.WriteNumber("tiles", result.Tiles);
        if (options.EmbedImages)
        {
            writer.WriteString("png", Convert.ToBase64String(EncodePng(result)));
        }
        else if (result.SavedPath is { } path)
        {
            writer.WriteString("file", path);
        }
    }

    /// <inheritdoc />
    public override ResultView Present(UpscaledImage result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var suffix = FormattableString.Invariant($": {result.Scale}x → {result.Image.Width}x{result.Image.Height} ({result.Tiles} tile(s))");
        return new ResultView(result.SavedPath is { } path ? $"{suffix}, saved {path}" : suffix, []);
    }

    /// <inheritdoc />
    public override UpscaledImage SaveFiles(UpscaledImage result, string stem)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrEmpty(stem);
        var path = Path.GetFullPath(FormattableString.Invariant($"{stem}_x{result.Scale}.png"));
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        File.WriteAllBytes(temp, EncodePng(result));
        File.Move(temp, path, overwrite: true);
        return result with { SavedPath = path };
    }

    /// <summary>The upscaled image as PNG bytes.</summary>
    public static byte[] EncodePng(UpscaledImage result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var bitmap = result.Image.ToBitmap();
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
