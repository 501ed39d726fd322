namespace ModelZoo.Tasks;

/// <summary>The <see cref="ModelTask.ImageSegmentation"/> task: <see cref="Segmenter"/>, one mask per class.
/// <c>min_score</c> is the probability a pixel needs to be in a mask.</summary>
public sealed class ImageSegmentationTask() : ImageTaskDescriptor<Segmenter, IReadOnlyList<SegmentationMask>, SegmentationOptions>(ModelTask.ImageSegmentation,
    new SegmentationOptions(), Segmenter.DecoderTable.Names, new TaskCommandInfo("segment", "Per-pixel masks (PNG) of images.", "segmenting"))
{
    /// <inheritdoc />
    public override SegmentationOptions ParseOptions(TaskOptionValues values) => Checked(
        DefaultOptions with { Threshold = Require(values).Float(TaskOptionKeys.MinScore) ?? DefaultOptions.Threshold }, o => o.Validate());


    /// <inheritdoc />
    public override JsonObject JsonSchema(ResultJsonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<ResultSchemaProperty> mask =
        [
            ResultSchema.Required("label", ResultSchema.String("The class.")),
            ResultSchema.Required("coverage", ResultSchema.Score("Share of the image's pixels in the mask.")),
            ResultSchema.Required("width", ResultSchema.Integer("Mask width in pixels.")),
            ResultSchema.Required("height", ResultSchema.Integer("Mask height in pixels.")),
            ResultSchema.Optional("path", ResultSchema.String("Where the mask PNG was saved.")),
        ];
        if (options.EmbedImages)
        {
            mask.Add(ResultSchema.Required("png", ResultSchema.Png("The mask as a greyscale PNG.")));
        }
        return ResultSchema.Object("Per-class masks of the image.",
            ResultSchema.Required("masks", ResultSchema.ArrayOf(ResultSchema.Object("One class's mask.", mask), "One mask per class found.")));
    }

    /// <summary>Writes <c>"masks": [{"label", "coverage", "width", "height", "path"?, "png"?}]</c>: <c>path</c> where the
    /// mask was saved, <c>png</c> (base64) when <see cref="ResultJsonOptions.EmbedImages"/>.</summary>
    public override void WriteJson(Utf8JsonWriter writer, IReadOnlyList<SegmentationMask> result, ResultJsonOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        writer.WriteStartArray("masks");
        foreach (var mask in result)
        {
            writer.WriteStartObject();
            writer.WriteString("label", mask.Label);
            writer.WriteNumber("coverage", Math.Round(mask.Coverage, 4));
            writer.WriteNumber("width", mask.Width);
            writer.WriteNumber("height", mask.Height);
            if (mask.SavedPath is { } file)
            {
                writer.WriteString("path", file);
            }
            if (options.EmbedImages)
            {
                writer.WriteBase64String("png", mask.EncodePng());
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <inheritdoc />
    public override Annotations Annotate(IReadOnlyList<SegmentationMask> result) => new() { Layers = [new MaskLayer(result)] };

    /// <inheritdoc />
    public override ResultView Present(IReadOnlyList<SegmentationMask> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rows = result.Select(mask => (IReadOnlyList<string>)[mask.Label, ResultCells.Percent(mask.Coverage), mask.SavedPath ?? "-"]).ToList();
        return new ResultView(null, [new ResultTable(null, [new("Label"), new("Coverage", true), new("Mask file")], rows)]);
    }

    /// <summary>Saves each mask as <c>STEM.mask-LABEL.png</c> (label reduced to letters, digits, '-' and '_').</summary>
    public override IReadOnlyList<SegmentationMask> SaveFiles(IReadOnlyList<SegmentationMask> result, string stem)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrEmpty(stem);
        return result.Select(mask =>
        {
            var file = $"{stem}.mask-{Sanitize(mask.Label)}.png";
            mask.SavePng(file);
            return mask with { SavedPath = file };
        }).ToList();
    }

    private static string Sanitize(string label) =>
        string.Concat(label.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}
