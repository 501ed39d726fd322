namespace ModelZoo.Server.Cloud;

/// <summary>
/// What both cloud label APIs (Rekognition DetectLabels, Vision LABEL_DETECTION) start from: the classifier's classes
/// and the detector's boxes for one image, predicted concurrently. Either model may be missing, not both: a server
/// with only a detector labels what it detects.
/// </summary>
internal static class CloudLabels
{
    /// <returns>The classes and boxes (empty for a missing model), the model named as the label model (the classifier,
    /// else the detector) and the size of the image as sent, the boxes' pixels. A JPEG is decoded at the least scale
    /// both models allow (<see cref="PredictionService.DecodeScaleFor"/>).</returns>
    /// <exception cref="ServeException">Neither a classifier nor a detector is configured or preloaded.</exception>
    public static async Task<(IReadOnlyList<Prediction> Labels, IReadOnlyList<Detection> Objects, ModelCard Model, int Width, int Height)> PredictAsync(
        HttpContext http, PredictionService service, byte[] bytes, PredictOptions labelOptions, PredictOptions objectOptions)
    {
        var classifier = service.TryLabelsModel();
        var detector = service.ObjectsModel();
        if (classifier is null && detector is null)
        {
            classifier = service.LabelsModel();
        }
        var decoded = await service.DecodeScaledAsync(http, bytes, DecodeScale(service, classifier, detector)).ConfigureAwait(false);
        var image = decoded.Image;
        var (width, height) = (image.Width, image.Height);
        Task<IReadOnlyList<Prediction>>? labels = null;
        Task<IReadOnlyList<Detection>>? objects = null;
        if (detector is not null)
        {
            // Each prediction owns its input, so the second model gets a copy.
            var copy = classifier is null ? image : RgbImage.FromPixels(width, height, image.Pixels.ToArray());
            var (scaleX, scaleY) = decoded.SourcePerDecoded;
            objects = service.PredictAsync<IReadOnlyList<Detection>>(http, detector, ImageOrText.FromImage(copy), objectOptions, scaleX, scaleY);
        }
        if (classifier is not null)
        {
            labels = service.PredictAsync<IReadOnlyList<Prediction>>(http, classifier, ImageOrText.FromImage(image), labelOptions);
        }
        var predictions = labels is null ? [] : await labels.ConfigureAwait(false);
        var detections = objects is null ? [] : await objects.ConfigureAwait(false);
        return (predictions, detections, classifier ?? detector!, decoded.SourceWidth, decoded.SourceHeight);
    }

    /// <summary>The larger of the two models' least decode scales; null (full size) when either needs full size.</summary>
    private static Func<int, int, double>? DecodeScale(PredictionService service, ModelCard? classifier, ModelCard? detector)
    {
        var scales = new[] { classifier, detector }.Where(c => c is not null).Select(c => service.DecodeScaleFor(c!)).ToList();
        return scales.Any(s => s is null) ? null : (w, h) => scales.Max(s => s!(w, h));
    }
}
