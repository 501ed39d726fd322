namespace ModelZoo.Quantization;

/// <summary>
/// Agreement judged by what a task shows its users, for models whose raw outputs (anchor grids, heatmaps) say little
/// by their cosine: detections are matched by class and IoU, pose keypoints by their distance on the photo.
/// </summary>
internal static class TaskAgreement
{
    /// <summary>IoU at which an int8 box counts as the same detection as a float box of the same class.</summary>
    public const float MatchIou = 0.5f;

    /// <summary>Share of the image diagonal within which an int8 keypoint counts as the float one.</summary>
    public const double KeypointTolerance = 0.05;

    /// <summary>Whether <paramref name="task"/> is judged here rather than by output cosine or top-1.</summary>
    public static bool Covers(ModelTask task) => task is ModelTask.ObjectDetection or ModelTask.PoseEstimation;

    /// <summary>Compares the two sessions (same input) on <paramref name="images"/> by the card's task.</summary>
    public static QuantizationAgreement Measure(ModelSession reference, ModelSession candidate, ModelCard card,
        IReadOnlyList<RgbImage> images, double? threshold)
    {
        var a = new ImageModelRunner(reference, card);
        var b = new ImageModelRunner(candidate, card);
        return card.Task == ModelTask.ObjectDetection
            ? Detections(a, b, card, images, threshold ?? StaticQuantizer.DefaultDetectionThreshold)
            : Keypoints(a, b, card, images, threshold ?? StaticQuantizer.DefaultKeypointThreshold);
    }

    private static QuantizationAgreement Detections(ImageModelRunner a, ImageModelRunner b, ModelCard card, IReadOnlyList<RgbImage> images, double threshold)
    {
        var decoder = ObjectDetector.DecoderTable.Get(card);
        var classCount = card.Labels?.Count;
        var options = new DetectionOptions();
        int floatBoxes = 0, intBoxes = 0, matched = 0;
        double iouSum = 0;
        foreach (var image in images)
        {
            var x = Detect(a, decoder, classCount, options, image);
            var y = Detect(b, decoder, classCount, options, image);
            floatBoxes += x.Count;
            intBoxes += y.Count;
            foreach (var iou in Match(x, y))
            {
                matched++;
                iouSum += iou;
            }
        }
        // Nothing detected by either model is full agreement; boxes on one side only are misses.
        var recall = floatBoxes == 0 ? 1 : (double)matched / floatBoxes;
        var precision = intBoxes == 0 ? (floatBoxes == 0 ? 1 : 0) : (double)matched / intBoxes;
        var f1 = recall + precision == 0 ? 0 : 2 * recall * precision / (recall + precision);
        var meanIou = matched == 0 ? 0 : iouSum / matched;
        return new QuantizationAgreement("detection-f1", f1, meanIou, threshold, images.Count)
        {
            Measures = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["recall"] = recall, ["precision"] = precision, ["meanIou"] = meanIou,
                ["floatBoxes"] = floatBoxes, ["int8Boxes"] = intBoxes, ["matchIou"] = MatchIou,
            },
        };
    }

    private static List<CandidateBox> Detect(ImageModelRunner runner, IDetectionDecoder decoder, int? classCount, DetectionOptions options, RgbImage image)
    {
        var candidates = decoder.Decode(runner.Run(image), classCount, options.ScoreThreshold);
        return NonMaxSuppression.Apply(candidates, options.IouThreshold, options.MaxDetections, options.ClassAgnostic);
    }

    /// <summary>Greedy one-to-one matching, best-scoring int8 box first: each takes the unmatched float box of its
    /// class with the highest IoU, if that IoU reaches <see cref="MatchIou"/>. Returns the IoU of each match.</summary>
    internal static List<double> Match(IReadOnlyList<CandidateBox> reference, IReadOnlyList<CandidateBox> candidate)
    {
        var taken = new bool[reference.Count];
        var matches = new List<double>();
        foreach (var box in candidate.OrderByDescending(c => c.Score))
        {
            var best = -1;
            var bestIou = (double)MatchIou;
            for (var i = 0; i < reference.Count; i++)
            {
                if (taken[i] || reference[i].ClassIndex != box.ClassIndex)
                {
                    continue;
                }
                var iou = reference[i].Box.IntersectionOverUnion(box.Box);
                if (iou >= bestIou)
                {
                    best = i;
                    bestIou = iou;
                }
            }
            if (best >= 0)
            {
                taken[best] = true;
                matches.Add(bestIou);
            }
        }
        return matches;
    }

    private static QuantizationAgreement Keypoints(ImageModelRunner a, ImageModelRunner b, ModelCard card, IReadOnlyList<RgbImage> images, double threshold)
    {
        var decoder = PoseEstimator.DecoderTable.Get(card);
        var minScore = new PoseOptions().MinScore;
        int compared = 0, within = 0;
        double distanceSum = 0;
        foreach (var image in images)
        {
            var x = decoder.Decode(a.Run(image), minScore).FirstOrDefault();
            if (x is null)
            {
                continue;
            }
            var y = decoder.Decode(b.Run(image), 0f).FirstOrDefault();
            var diagonal = Math.Sqrt((double)image.Width * image.Width + (double)image.Height * image.Height);
            // The keypoints a user is shown: those the float model scores at the default minimum.
            for (var k = 0; k < x.Keypoints.Count; k++)
            {
                if (x.Keypoints[k].Score < minScore)
                {
                    continue;
                }
                compared++;
                if (y is null || k >= y.Keypoints.Count)
                {
                    distanceSum += diagonal;
                    continue;
                }
                var d = Math.Sqrt(Math.Pow(x.Keypoints[k].X - y.Keypoints[k].X, 2) + Math.Pow(x.Keypoints[k].Y - y.Keypoints[k].Y, 2));
                distanceSum += d;
                if (d <= KeypointTolerance * diagonal)
                {
                    within++;
                }
            }
        }
        var share = compared == 0 ? 1 : (double)within / compared;
        var meanDistance = compared == 0 ? 0 : distanceSum / compared;
        return new QuantizationAgreement(string.Create(CultureInfo.InvariantCulture, $"keypoints-within-{KeypointTolerance * 100:0}%"), share, meanDistance, threshold, images.Count)
        {
            Measures = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["meanDistancePixels"] = meanDistance, ["keypoints"] = compared, ["tolerance"] = KeypointTolerance,
            },
        };
    }
}
