namespace ModelZoo.Training.DetectionMetrics;

/// <summary>
/// COCO's box mAP as its reference evaluation defines it: per image and class, detections taken by descending score
/// (at most 100 per image and class) are matched greedily to the unmatched labelled box of highest IoU at or above
/// the threshold, non-crowd boxes first (a detection matched to a crowd box or an ignored box is ignored, and crowd
/// boxes may take any number of detections, their IoU being intersection over the detection's area); ground truth
/// outside the area range is ignored, as is an unmatched detection whose own area is outside it. Precision is made
/// monotone from the right and read at the 101 recall thresholds 0, 0.01, …, 1 (0 where recall never gets there);
/// AP is their mean, and mAP the mean over classes that have labelled objects (and over the ten IoU thresholds
/// 0.50:0.05:0.95 for the primary figure).
/// </summary>
public static class CocoDetectionMetric
{
    private const int MaxDetections = 100;
    private static readonly double[] IouThresholds = Enumerable.Range(0, 10).Select(i => 0.5 + 0.05 * i).ToArray();
    private static readonly (double Min, double Max)[] AreaRanges = [(0, 1e10), (0, 32 * 32), (32 * 32, 96 * 96), (96 * 96, 1e10)];

    /// <summary>Computes the metrics of <paramref name="detections"/> (one list per image, in the order of
    /// <paramref name="truths"/>) over <paramref name="classes"/>; detections of other classes are left out.</summary>
    public static DetectionMetricsResult Compute(IReadOnlyList<IReadOnlyList<GroundTruthBox>> truths,
        IReadOnlyList<IReadOnlyList<Detection>> detections, IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(truths);
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentNullException.ThrowIfNull(classes);
        if (truths.Count != detections.Count)
        {
            throw new ArgumentException($"{truths.Count} labelled images but {detections.Count} detection lists.", nameof(detections));
        }
        // precision[class, area, iou] = the 101 interpolated precisions, or null when the class has nothing to find there.
        var ap = new double?[classes.Count, AreaRanges.Length, IouThresholds.Length];
        var perClass = new List<ClassAveragePrecision>();
        for (var k = 0; k < classes.Count; k++)
        {
            var label = classes[k];
            var gts = truths.Select(t => t.Where(b => Same(b.Label, label)).ToList()).ToList();
            var dts = detections.Select(d => d.Where(b => Same(b.Label, label)).OrderByDescending(b => b.Score).Take(MaxDetections).ToList()).ToList();
            double[] precision50 = new double[101];
            double maxRecall50 = 0;
            for (var a = 0; a < AreaRanges.Length; a++)
            {
                for (var t = 0; t < IouThresholds.Length; t++)
                {
                    var (q, recall) = Precisions(gts, dts, AreaRanges[a], IouThresholds[t]);
                    ap[k, a, t] = q?.Average();
                    if (a == 0 && t == 0 && q is not null)
                    {
                        precision50 = q;
                        maxRecall50 = recall;
                    }
                }
            }
            perClass.Add(new ClassAveragePrecision(label, gts.Sum(g => g.Count(b => !b.IsCrowd)), dts.Sum(d => d.Count),
                ap[k, 0, 0], Mean(Enumerable.Range(0, IouThresholds.Length).Select(t => ap[k, 0, t])), precision50, maxRecall50));
        }
        double? Over(int area, IEnumerable<int> ious) => Mean(Enumerable.Range(0, classes.Count).SelectMany(k => ious.Select(t => ap[k, area, t])));
        var all = Enumerable.Range(0, IouThresholds.Length).ToArray();
        return new DetectionMetricsResult
        {
            Map50 = Over(0, [0]),
            Map75 = Over(0, [5]),
            Map = Over(0, all),
            MapSmall = Over(1, all),
            MapMedium = Over(2, all),
            MapLarge = Over(3, all),
            PerClass = perClass,
        };
    }

    /// <summary>The 101 interpolated precisions of one class at one area range and IoU threshold, and the recall
    /// reached; null when no labelled box counts.</summary>
    private static (double[]? Precisions, double Recall) Precisions(List<List<GroundTruthBox>> gts, List<List<Detection>> dts,
        (double Min, double Max) range, double threshold)
    {
        var scored = new List<(float Score, bool Tp, int Order)>();
        var counted = 0;
        var order = 0;
        for (var i = 0; i < gts.Count; i++)
        {
            // Ground truth that counts first, ignored (crowd or outside the range) after, as COCO sorts them.
            var gt = gts[i].Select(g => (Box: g, Ignore: g.IsCrowd || g.RangeArea < range.Min || g.RangeArea > range.Max))
                .OrderBy(g => g.Ignore).ToList();
            counted += gt.Count(g => !g.Ignore);
            var taken = new bool[gt.Count];
            foreach (var d in dts[i])
            {
                var match = BestMatch(d, gt, taken, threshold);
                bool ignored;
                if (match >= 0)
                {
                    taken[match] = true;
                    ignored = gt[match].Ignore;
                }
                else
                {
                    ignored = d.Box.Area < range.Min || d.Box.Area > range.Max;
                }
                if (!ignored)
                {
                    scored.Add((d.Score, match >= 0, order));
                }
                order++;
            }
        }
        if (counted == 0)
        {
            return (null, 0);
        }
        return Interpolated(scored, counted);
    }

    // The labelled box `d` matches: the best IoU of at least `threshold` among those not yet taken (crowd boxes can be
    // matched again), preferring counted boxes to ignored ones; -1 for none.
    private static int BestMatch(Detection d, List<(GroundTruthBox Box, bool Ignore)> gt, bool[] taken, double threshold)
    {
        var best = Math.Min(threshold, 1 - 1e-10);
        var match = -1;
        for (var g = 0; g < gt.Count; g++)
        {
            if (taken[g] && !gt[g].Box.IsCrowd)
            {
                continue;
            }
            if (match > -1 && !gt[match].Ignore && gt[g].Ignore)
            {
                break;
            }
            var iou = Iou(d.Box, gt[g].Box.Box, gt[g].Box.IsCrowd);
            if (iou < best)
            {
                continue;
            }
            best = iou;
            match = g;
        }
        return match;
    }

    // The 101-point interpolated precision of the scored detections against `counted` labelled boxes, and the recall.
    private static (double[]? Precisions, double Recall) Interpolated(List<(float Score, bool Tp, int Order)> scored, int counted)
    {
        // A stable sort by score, as COCO's mergesort, so ties keep image order.
        scored = scored.OrderByDescending(s => s.Score).ThenBy(s => s.Order).ToList();
        var recall = new double[scored.Count];
        var precision = new double[scored.Count];
        int tp = 0, fp = 0;
        for (var i = 0; i < scored.Count; i++)
        {
            if (scored[i].Tp) tp++; else fp++;
            recall[i] = (double)tp / counted;
            precision[i] = tp / (tp + fp + double.Epsilon);
        }
        for (var i = precision.Length - 1; i > 0; i--)
        {
            precision[i - 1] = Math.Max(precision[i - 1], precision[i]);
        }
        var q = new double[101];
        for (var r = 0; r <= 100; r++)
        {
            // The first detection whose recall reaches the threshold (numpy's searchsorted, side "left").
            var threshold01 = r / 100.0;
            var index = Array.FindIndex(recall, v => v >= threshold01 - 1e-12);
            q[r] = index >= 0 ? precision[index] : 0;
        }
        return (q, recall.Length > 0 ? recall[^1] : 0);
    }

    private static double Iou(BoundingBox d, BoundingBox g, bool crowd)
    {
        var w = Math.Min(d.Right, g.Right) - Math.Max(d.X, g.X);
        var h = Math.Min(d.Bottom, g.Bottom) - Math.Max(d.Y, g.Y);
        if (w <= 0 || h <= 0)
        {
            return 0;
        }
        double inter = (double)w * h;
        double union = crowd ? d.Area : (double)d.Area + g.Area - inter;
        return union <= 0 ? 0 : inter / union;
    }

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static double? Mean(IEnumerable<double?> values)
    {
        var present = values.Where(v => v.HasValue).Select(v => v!.Value).ToList();
        return present.Count == 0 ? null : present.Average();
    }
}
