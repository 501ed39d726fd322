namespace ModelZoo.Tasks.Ocr;

/// <summary>The cards an OCR pipeline runs: a text detector, a line recogniser and, optionally, a 0°/180° classifier.</summary>
/// <param name="Detector">A <see cref="ModelTask.TextDetection"/> card (DB probability map).</param>
/// <param name="Recognizer">A <see cref="ModelTask.TextRecognition"/> card (CTC).</param>
/// <param name="DirectionClassifier">A <see cref="ModelTask.TextDirection"/> card, or null to skip the orientation step.</param>
public sealed record TextSpotterModels(ModelCard Detector, ModelCard Recognizer, ModelCard? DirectionClassifier)
{
    /// <summary>The pipeline <c>zoo ocr</c> uses by default: PP-OCRv4 detection and recognition with the PP-OCR mobile
    /// v2 direction classifier.</summary>
    public const string DefaultHandle = "ocr/ppocrv4";

    /// <summary>The cards in pull order.</summary>
    public IReadOnlyList<ModelCard> Cards => DirectionClassifier is null ? [Detector, Recognizer] : [Detector, Recognizer, DirectionClassifier];

    /// <summary>
    /// Resolves a pipeline handle: a prefix with <c>/det</c> and <c>/rec</c> cards under it (e.g. <c>ocr/ppocrv4</c>),
    /// or the handle of either of those cards. The classifier is the prefix's <c>/cls</c> card when there is one,
    /// otherwise the catalog's first text-direction card.
    /// </summary>
    /// <exception cref="ModelNotFoundException">The handle names no OCR pipeline.</exception>
    public static TextSpotterModels Resolve(ModelCatalog catalog, string handle = DefaultHandle)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(handle);
        var prefix = handle.TrimEnd('/');
        if (catalog.TryGet(prefix, out var named) && named.Task is ModelTask.TextDetection or ModelTask.TextRecognition or ModelTask.TextDirection)
        {
            var slash = prefix.LastIndexOf('/');
            prefix = slash > 0 ? prefix[..slash] : prefix;
        }
        if (!catalog.TryGet(prefix + "/det", out var detector) || !catalog.TryGet(prefix + "/rec", out var recognizer))
        {
            if (named is not null)
            {
                throw new ZooUsageException(
                    $"'{handle}' is not part of an OCR pipeline (there are no '{prefix}/det' and '{prefix}/rec' cards); use {DefaultHandle} or another prefix with both.");
            }
            throw new ModelNotFoundException(handle, DefaultHandle);
        }
        if (detector.Task != ModelTask.TextDetection || recognizer.Task != ModelTask.TextRecognition)
        {
            throw new ZooUsageException(
                $"'{prefix}/det' and '{prefix}/rec' are not a text-detection and a text-recognition model; pass an OCR pipeline such as {DefaultHandle}.");
        }
        var classifier = catalog.TryGet(prefix + "/cls", out var cls) && cls.Task == ModelTask.TextDirection
            ? cls
            : catalog.Find(ModelTask.TextDirection).FirstOrDefault();
        return new TextSpotterModels(detector, recognizer, classifier);
    }
}
