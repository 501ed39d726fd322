namespace ModelZoo.Catalog;

/// <summary>
/// The one rule set for <see cref="InputSpec"/>: what the card validator reports when a card is loaded and what the
/// preprocessor checks when a pipeline opens (once per spec, <see cref="Imaging.ImagePreprocessor"/>). Problems are
/// phrased in the card's terms (<c>input.std</c>, …).
/// </summary>
internal static class InputSpecRules
{
    public static List<string> Problems(InputSpec input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var problems = new List<string>();
        if (input.Width <= 0 || input.Height <= 0)
        {
            problems.Add($"input.width and input.height must be positive (got {input.Width}x{input.Height})");
        }
        else if ((long)input.Width * input.Height * 3 > Array.MaxLength)
        {
            problems.Add($"input size {input.Width}x{input.Height} is too large");
        }
        var channels = input.ColorOrder == ColorOrder.Gray ? 1 : 3;
        CheckChannels(input.Mean, "mean", channels, problems);
        if (CheckChannels(input.Std, "std", channels, problems) && input.Std.Any(s => !(s > 0f) || float.IsInfinity(s)))
        {
            problems.Add("input.std values must be positive");
        }
        if (input.Mean is not null && input.Mean.Any(m => !float.IsFinite(m)))
        {
            problems.Add("input.mean values must be finite");
        }
        if (!(input.Scale > 0f) || float.IsInfinity(input.Scale))
        {
            problems.Add("input.scale must be positive");
        }
        if (input.ElementType is not ("float32" or "uint8" or "int32"))
        {
            problems.Add($"input.elementType '{input.ElementType}' must be float32, uint8 or int32");
        }
        CheckResize(input, problems);
        if (!Enum.IsDefined(input.Resize) || !Enum.IsDefined(input.Layout) || !Enum.IsDefined(input.ColorOrder))
        {
            problems.Add("input.resize, input.layout or input.colorOrder is unknown");
        }
        return problems;
    }

    private static bool CheckChannels(IReadOnlyList<float>? values, string name, int channels, List<string> problems)
    {
        if (values is null || (values.Count != 1 && values.Count != channels))
        {
            problems.Add($"input.{name} must have 1 or {channels} values");
            return false;
        }
        return true;
    }

    private static void CheckResize(InputSpec input, List<string> problems)
    {
        if (input.ResizeShorterSide is { } shorter)
        {
            if (input.Resize != ResizeMode.CenterCrop)
            {
                problems.Add("input.resizeShorterSide is only meaningful with resize center-crop");
            }
            else if (shorter < Math.Min(input.Width, input.Height) || shorter <= 0)
            {
                problems.Add($"input.resizeShorterSide {shorter} is smaller than the crop");
            }
        }
        if (input.SizeMultiple < 1)
        {
            problems.Add($"input.sizeMultiple must be at least 1 (got {input.SizeMultiple})");
        }
        if (input.PadValue is < 0f or > 255f)
        {
            problems.Add("input.padValue must be within 0..255");
        }
    }
}
