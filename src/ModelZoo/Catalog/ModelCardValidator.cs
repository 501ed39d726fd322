using System.Text.RegularExpressions;

namespace ModelZoo.Catalog;

/// <summary>
/// Checks a card against the rules every card must meet: handle format, files with valid sources and
/// checksums, a licence, and the fields each task needs (input spec for image tasks, labels and output
/// kind for classification, output size for feature vectors, a decoder for detectors).
/// </summary>
public static partial class ModelCardValidator
{
    /// <summary>File roles a card may declare.</summary>
    public static IReadOnlyList<string> KnownRoles { get; } = ["model", "preprocess", "labels", "vocab", "weights", "config"];

    /// <summary>Returns every problem found, each naming the field; an empty list means the card is valid.</summary>
    public static IReadOnlyList<string> Validate(ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var problems = new List<string>();
        if (!IsValidHandle(card.Handle))
        {
            problems.Add($"handle '{card.Handle}' must be 2 to 4 lower-case segments of [a-z0-9._-] separated by '/', each starting and ending with a letter or digit");
        }
        if (string.IsNullOrWhiteSpace(card.Version))
        {
            problems.Add("version must not be empty");
        }
        if (!Enum.IsDefined(card.Task))
        {
            problems.Add($"task {(int)card.Task} is not a known task");
        }
        CheckFiles(card, problems);
        CheckLicense(card.License, problems);
        if (card.Opset is { } opset && (opset < 1 || opset > 30))
        {
            problems.Add($"opset {opset} is out of range 1..30");
        }
        if (IsImageTask(card.Task))
        {
            CheckInput(card.Input, problems);
        }
        if (card.Input?.PreprocessGraph is { } preprocess && card.Files?.Any(f => f.Name == preprocess) != true)
        {
            problems.Add($"input.preprocessGraph '{preprocess}' names no file of this card");
        }
        if (card.Task == ModelTask.TextEmbedding && card.Text is null)
        {
            problems.Add("text (vocabFile, maxTokens) is required for text-embedding");
        }
        if (card.Text is not null)
        {
            CheckText(card, card.Text, problems);
        }
        CheckTaskOutputs(card, problems);
        if (card.Labels is not null)
        {
            CheckLabels(card, card.Labels, problems);
        }
        return problems;
    }

    /// <summary>
    /// <see cref="Validate"/> plus what a user card must also meet to be registered or loaded: an
    /// <c>output.decoder</c> its task's pipeline has. (Built-in cards may list models whose decoder is not written
    /// yet; <c>CardDecoderTests</c> keeps that list.)
    /// </summary>
    public static IReadOnlyList<string> ValidateUserCard(ModelCard card)
    {
        var problems = Validate(card).ToList();
        if (Tasks.TaskDecoders.NamesFor(card.Task) is { } names && card.Output?.Decoder is { } decoder && !names.Contains(decoder))
        {
            problems.Add($"output.decoder '{decoder}' is not a decoder of {TaskName(card.Task)} (use one of {string.Join(", ", names)})");
        }
        return problems;
    }

    /// <summary>Whether <paramref name="handle"/> has the catalog's handle form, e.g. <c>imagenet/resnet18/feature_vector</c>.</summary>
    public static bool IsValidHandle(string? handle) => handle is not null && HandlePattern().IsMatch(handle);

    /// <summary>Whether the task takes an image and therefore needs an <see cref="InputSpec"/>.</summary>
    public static bool IsImageTask(ModelTask task) => task is not ModelTask.TextEmbedding;

    private static void CheckFiles(ModelCard card, List<string> problems)
    {
        if (card.Files is null || card.Files.Count == 0)
        {
            problems.Add("files must list at least one file");
            return;
        }
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < card.Files.Count; i++)
        {
            var file = card.Files[i];
            var at = $"files[{i}]";
            if (string.IsNullOrWhiteSpace(file.Name) || file.Name is "." or ".."
                || file.Name.IndexOfAny(['/', '\\', ':']) >= 0 || file.Name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            {
                problems.Add($"{at}.name '{file.Name}' must be a plain file name");
            }
            else if (!names.Add(file.Name))
            {
                problems.Add($"{at}.name '{file.Name}' is used twice (names are compared ignoring case)");
            }
            if (!KnownRoles.Contains(file.Role))
            {
                problems.Add($"{at}.role '{file.Role}' is not one of {string.Join(", ", KnownRoles)}");
            }
            try
            {
                ModelSource.Parse(file.Source);
            }
            catch (ZooException)
            {
                problems.Add($"{at}.source '{file.Source}' is not a valid source URI");
            }
            if (file.Sha256 is null || !Sha256Pattern().IsMatch(file.Sha256))
            {
                problems.Add($"{at}.sha256 must be 64 lower-case hex digits");
            }
            if (file.Size <= 0)
            {
                problems.Add($"{at}.size must be positive");
            }
        }
        if (!card.Files.Any(f => f.Role == "model"))
        {
            problems.Add("files must include one file with role 'model'");
        }
        else if (card.Format == ModelFormat.Onnx && !card.ModelFile.Name.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"the model file '{card.ModelFile.Name}' of an ONNX card must end in .onnx");
        }
    }

    private static void CheckLicense(LicenseInfo? license, List<string> problems)
    {
        if (license is null || string.IsNullOrWhiteSpace(license.Spdx))
        {
            problems.Add("license.spdx is required");
            return;
        }
        if (!SpdxPattern().IsMatch(license.Spdx))
        {
            problems.Add($"license.spdx '{license.Spdx}' is not an SPDX identifier or expression");
        }
    }

    private static void CheckInput(InputSpec? input, List<string> problems)
    {
        if (input is null)
        {
            problems.Add("input is required for image tasks");
            return;
        }
        problems.AddRange(InputSpecRules.Problems(input));
    }

    private static void CheckText(ModelCard card, TextSpec text, List<string> problems)
    {
        var vocab = card.Files?.FirstOrDefault(f => f.Name == text.VocabFile);
        if (vocab is null)
        {
            problems.Add($"text.vocabFile '{text.VocabFile}' names no file of this card");
        }
        else if (vocab.Role != "vocab")
        {
            problems.Add($"text.vocabFile '{text.VocabFile}' must have role 'vocab' (it has '{vocab.Role}')");
        }
        // [CLS] and [SEP] take two places; BERT-family position tables stop at 512 or a few thousand.
        if (text.MaxTokens is < 3 or > 65536)
        {
            problems.Add($"text.maxTokens {text.MaxTokens} is out of range 3..65536");
        }
    }

    private static void CheckTaskOutputs(ModelCard card, List<string> problems)
    {
        var output = card.Output;
        switch (card.Task)
        {
            case ModelTask.ImageClassification:
                if (card.Labels is null)
                {
                    problems.Add("labels are required for image-classification");
                }
                if (output is null || output.Kind is not (OutputKind.Logits or OutputKind.Probabilities or OutputKind.Sigmoid))
                {
                    problems.Add("output.kind must be logits, probabilities or sigmoid for image-classification");
                }
                break;
            case ModelTask.ImageFeatureVector:
            case ModelTask.TextEmbedding:
                if (output is null || output.Size is not > 0)
                {
                    problems.Add($"output.size (the embedding length) is required for {TaskName(card.Task)}");
                }
                if (output is not null && output.Kind != OutputKind.Features)
                {
                    problems.Add($"output.kind must be features for {TaskName(card.Task)}");
                }
                break;
            case ModelTask.ObjectDetection:
            case ModelTask.FaceDetection:
            case ModelTask.PoseEstimation:
            case ModelTask.ImageSegmentation:
            case ModelTask.TextDetection:
            case ModelTask.TextRecognition:
                if (output is null || string.IsNullOrWhiteSpace(output.Decoder))
                {
                    problems.Add($"output.decoder is required for {TaskName(card.Task)}");
                }
                break;
        }
        if ((card.Task is ModelTask.ObjectDetection or ModelTask.TextRecognition) && card.Labels is null)
        {
            problems.Add($"labels are required for {TaskName(card.Task)}");
        }
        if (output?.Size is <= 0)
        {
            problems.Add("output.size must be positive when given");
        }
        if (output?.FeatureTensor is { } featureTensor)
        {
            if (string.IsNullOrWhiteSpace(featureTensor))
            {
                problems.Add("output.featureTensor must name a tensor when given");
            }
            if (card.Task is not (ModelTask.ImageClassification or ModelTask.ImageFeatureVector))
            {
                problems.Add($"output.featureTensor applies to image-classification and image-feature-vector models, not {TaskName(card.Task)}");
            }
        }
    }

    private static void CheckLabels(ModelCard card, LabelsSpec labels, List<string> problems)
    {
        if (labels.Source.StartsWith(LabelSets.BuiltinPrefix, StringComparison.Ordinal))
        {
            var name = labels.Source[LabelSets.BuiltinPrefix.Length..];
            if (!LabelSets.BuiltinNames.Contains(name))
            {
                problems.Add($"labels.source '{labels.Source}' names no built-in label set ({string.Join(", ", LabelSets.BuiltinNames)})");
            }
        }
        else if (labels.Source.StartsWith(LabelSets.FilePrefix, StringComparison.Ordinal))
        {
            var name = labels.Source[LabelSets.FilePrefix.Length..];
            if (card.Files is null || !card.Files.Any(f => f.Name == name))
            {
                problems.Add($"labels.source '{labels.Source}' names no file of this card");
            }
        }
        else
        {
            problems.Add($"labels.source '{labels.Source}' must start with builtin: or file:");
        }
        if (labels.Offset < 0)
        {
            problems.Add("labels.offset must not be negative");
        }
        if (labels.Count is <= 0)
        {
            problems.Add("labels.count must be positive when given");
        }
    }

    private static string TaskName(ModelTask task) => task switch
    {
        ModelTask.ImageClassification => "image-classification",
        ModelTask.ImageFeatureVector => "image-feature-vector",
        ModelTask.ObjectDetection => "object-detection",
        ModelTask.PoseEstimation => "pose-estimation",
        ModelTask.FaceDetection => "face-detection",
        ModelTask.ImageSegmentation => "image-segmentation",
        ModelTask.TextDetection => "text-detection",
        ModelTask.TextRecognition => "text-recognition",
        ModelTask.TextDirection => "text-direction",
        ModelTask.TextEmbedding => "text-embedding",
        _ => task.ToString(),
    };

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?(?:/[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?){1,3}$")]
    private static partial Regex HandlePattern();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();

    // An SPDX short identifier (or LicenseRef-…), optionally combined with AND / OR / WITH.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9.+-]*(?: (?:AND|OR|WITH) [A-Za-z0-9][A-Za-z0-9.+-]*)*$")]
    private static partial Regex SpdxPattern();
}
