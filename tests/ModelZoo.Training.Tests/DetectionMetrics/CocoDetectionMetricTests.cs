using ModelZoo.Tasks;
using ModelZoo.Training.DetectionMetrics;

namespace ModelZoo.Training.Tests.DetectionMetrics;

/// <summary>COCO mAP on cases small enough to work out by hand (101 recall thresholds 0, 0.01, …, 1).</summary>
public sealed class CocoDetectionMetricTests
{
    private static GroundTruthBox Gt(string label, float x, float y, float w, float h, bool crowd = false) => new(label, new BoundingBox(x, y, w, h), crowd);

    private static Detection Det(string label, float score, float x, float y, float w, float h) => new(label, 0, score, new BoundingBox(x, y, w, h));

    private static DetectionMetricsResult Compute(IReadOnlyList<IReadOnlyList<GroundTruthBox>> truths, IReadOnlyList<IReadOnlyList<Detection>> detections,
        params string[] classes) => CocoDetectionMetric.Compute(truths, detections, classes);

    [Fact]
    public void An_exact_detection_scores_one_at_every_threshold()
    {
        var r = Compute([[Gt("dog", 10, 10, 100, 100)]], [[Det("dog", 0.9f, 10, 10, 100, 100)]], "dog");

        Assert.Equal(1, r.Map50!.Value, 12);
        Assert.Equal(1, r.Map!.Value, 12);
        Assert.Equal(1, r.MapLarge!.Value, 12);
        Assert.Null(r.MapSmall);
        Assert.Null(r.MapMedium);
    }

    [Fact]
    public void A_false_positive_ranked_first_halves_the_precision()
    {
        // FP at 0.9 (recall 0, precision 0), TP at 0.8 (recall 1, precision 0.5): the envelope is 0.5 everywhere.
        var r = Compute([[Gt("dog", 0, 0, 50, 50)]], [[Det("dog", 0.9f, 200, 200, 50, 50), Det("dog", 0.8f, 0, 0, 50, 50)]], "dog");

        Assert.Equal(0.5, r.Map50!.Value, 12);
    }

    [Fact]
    public void Half_the_objects_found_gives_51_of_101_thresholds()
    {
        // Recall reaches 0.5 with precision 1: thresholds 0 … 0.50 read 1, 0.51 … 1 read 0.
        var r = Compute([[Gt("dog", 0, 0, 50, 50), Gt("dog", 100, 100, 50, 50)]], [[Det("dog", 0.9f, 0, 0, 50, 50)]], "dog");

        Assert.Equal(51.0 / 101, r.Map50!.Value, 12);
        Assert.Equal(0.5, r.PerClass[0].MaxRecall50, 12);
    }

    [Fact]
    public void Ranking_runs_across_images()
    {
        // TP 0.9 (r 0.5, p 1), FP 0.8 (r 0.5, p 0.5), TP 0.7 (r 1, p 2/3); envelope 1, 2/3, 2/3.
        // Thresholds 0 … 0.50 read 1, 0.51 … 1 read 2/3: AP = (51 + 50 · 2/3) / 101.
        var r = Compute(
            [[Gt("cat", 0, 0, 40, 40)], [Gt("cat", 0, 0, 40, 40)]],
            [[Det("cat", 0.9f, 0, 0, 40, 40)], [Det("cat", 0.8f, 100, 100, 40, 40), Det("cat", 0.7f, 0, 0, 40, 40)]],
            "cat");

        Assert.Equal((51 + 50 * 2.0 / 3) / 101, r.Map50!.Value, 12);
    }

    [Fact]
    public void The_iou_threshold_sweep_counts_the_thresholds_a_box_passes()
    {
        // IoU 63/100 = 0.63 passes 0.50, 0.55 and 0.60 of the ten thresholds: AP@[.5:.95] = 0.3.
        var r = Compute([[Gt("dog", 0, 0, 10, 10)]], [[Det("dog", 0.9f, 0, 0, 10, 6.3f)]], "dog");

        Assert.Equal(1, r.Map50!.Value, 12);
        Assert.Equal(0, r.Map75!.Value, 12);
        Assert.Equal(0.3, r.Map!.Value, 12);
    }

    [Fact]
    public void A_second_detection_of_a_matched_object_is_a_false_positive()
    {
        // TP 0.9 (p 1, r 1), duplicate 0.8 FP (p 0.5, r 1): the envelope keeps 1 at every threshold.
        var r = Compute([[Gt("dog", 0, 0, 50, 50)]], [[Det("dog", 0.9f, 0, 0, 50, 50), Det("dog", 0.8f, 1, 1, 50, 50)]], "dog");
        Assert.Equal(1, r.Map50!.Value, 12);

        // The duplicate ranked first instead: the same sequence by score, so still 1; a duplicate ranked between
        // two objects costs: TP, FP(dup), TP → p 1, 0.5, 2/3 at r 0.5, 0.5, 1.
        var two = Compute([[Gt("dog", 0, 0, 50, 50), Gt("dog", 100, 0, 50, 50)]],
            [[Det("dog", 0.9f, 0, 0, 50, 50), Det("dog", 0.8f, 1, 1, 50, 50), Det("dog", 0.7f, 100, 0, 50, 50)]], "dog");
        Assert.Equal((51 + 50 * 2.0 / 3) / 101, two.Map50!.Value, 12);
    }

    [Fact]
    public void Detections_on_crowd_regions_are_ignored_and_a_crowd_only_class_has_no_ap()
    {
        // Crowd region 0..100; a detection inside it is neither TP nor FP, so the person found elsewhere gives AP 1.
        var r = Compute([[Gt("person", 0, 0, 100, 100, crowd: true), Gt("person", 200, 200, 50, 50), Gt("kite", 0, 0, 300, 300, crowd: true)]],
            [[Det("person", 0.95f, 10, 10, 30, 30), Det("person", 0.9f, 200, 200, 50, 50), Det("kite", 0.9f, 0, 0, 300, 300)]],
            "person", "kite");

        Assert.Equal(1, r.PerClass[0].Ap50!.Value, 12);
        Assert.Equal(1, r.PerClass[0].GroundTruths);
        Assert.Null(r.PerClass[1].Ap50);
        Assert.Equal(1, r.Map50!.Value, 12); // the mean leaves the class without objects out
    }

    [Fact]
    public void Area_ranges_split_small_medium_and_large()
    {
        // A 20×20 object found (small, AP 1) and a 50×50 one missed (medium, AP 0).
        var r = Compute([[Gt("dog", 0, 0, 20, 20), Gt("dog", 100, 100, 50, 50)]], [[Det("dog", 0.9f, 0, 0, 20, 20)]], "dog");

        Assert.Equal(1, r.MapSmall!.Value, 12);
        Assert.Equal(0, r.MapMedium!.Value, 12);
        Assert.Null(r.MapLarge);
    }

    [Fact]
    public void The_map_is_the_mean_over_classes_and_other_labels_are_left_out()
    {
        var r = Compute([[Gt("dog", 0, 0, 50, 50), Gt("cat", 100, 100, 50, 50)]],
            [[Det("dog", 0.9f, 0, 0, 50, 50), Det("cat", 0.9f, 300, 300, 50, 50), Det("cat", 0.8f, 100, 100, 50, 50), Det("car", 0.99f, 100, 100, 50, 50)]],
            "dog", "cat");

        Assert.Equal(1, r.PerClass[0].Ap50!.Value, 12);
        Assert.Equal(0.5, r.PerClass[1].Ap50!.Value, 12);
        Assert.Equal(0.75, r.Map50!.Value, 12);
        Assert.Equal(101, r.PerClass[1].Precision50.Count);
    }

    [Fact]
    public void Only_the_100_best_detections_of_an_image_and_class_count()
    {
        // 100 false positives scored above the one true detection push it out.
        var detections = Enumerable.Range(0, 100).Select(i => Det("dog", 0.9f, 500 + i, 500, 10, 10)).Append(Det("dog", 0.1f, 0, 0, 50, 50)).ToList();
        var r = Compute([[Gt("dog", 0, 0, 50, 50)]], [detections], "dog");

        Assert.Equal(0, r.Map50!.Value, 12);
    }
}
