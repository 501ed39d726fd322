using ModelZoo.Catalog;
using ModelZoo.Import;
using ModelZoo.Onnx;
using ModelZoo.Quantization;
using ModelZoo.Store;
using ModelZoo.Tasks;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Tests.Quantization;

public sealed class TaskAgreementTests
{
    [Fact]
    public void Boxes_match_one_to_one_by_class_and_iou_of_at_least_a_half()
    {
        CandidateBox[] reference = [new(0, 0, 10, 10, 1, 0.9f), new(20, 20, 30, 30, 2, 0.8f)];
        CandidateBox[] candidate =
        [
            new(0, 0, 10, 12, 1, 0.9f),   // same class, IoU 100/120
            new(0, 0, 10, 10, 1, 0.5f),   // duplicate of a box already taken
            new(20, 20, 30, 30, 3, 0.7f), // right place, wrong class
        ];

        var matches = TaskAgreement.Match(reference, candidate);

        var iou = Assert.Single(matches);
        Assert.Equal(100.0 / 120.0, iou, 4);
        Assert.Empty(TaskAgreement.Match(reference, [new(5, 5, 15, 15, 1, 0.9f)])); // IoU 25/175
    }

    [Theory]
    [InlineData("coco/nanodet/detection", "detection-f1")]
    [InlineData("body/movenet/lightning", "keypoints-within-5%")]
    public async Task A_float_model_agrees_fully_with_itself_by_its_task_measure_on_real_photos(string handle, string metric)
    {
        var settings = SharedStore.Settings;
        using var store = new ModelStore(settings);
        var card = ModelCatalog.Load(settings).Get(handle);
        var local = await store.OpenAsync(card);
        var model = OnnxModel.Load(ImportedModelCache.RunnableModelPath(local));
        var photos = QuantizationImages.Decode(new[] { "darknet/person.jpg", "darknet/dog.jpg", "skimage/astronaut.png" }.Select(TestAssets.Image));

        var agreement = StaticQuantizer.MeasureAgreement(model, model, card, photos);

        Assert.Equal(metric, agreement.Metric);
        Assert.Equal(1.0, agreement.Value, 6);
        Assert.True(agreement.Passes);
        if (card.Task == ModelTask.ObjectDetection)
        {
            Assert.True(agreement.Measures["floatBoxes"] >= 3, $"float boxes on the three photos: {agreement.Measures["floatBoxes"]}");
            Assert.Equal(1.0, agreement.Measures["meanIou"], 6);
            Assert.Equal(StaticQuantizer.DefaultDetectionThreshold, agreement.Threshold);
        }
        else
        {
            Assert.True(agreement.Measures["keypoints"] >= 10, $"keypoints compared: {agreement.Measures["keypoints"]}");
            Assert.Equal(0.0, agreement.Measures["meanDistancePixels"], 6);
            Assert.Equal(StaticQuantizer.DefaultKeypointThreshold, agreement.Threshold);
        }
    }

    [Fact]
    public async Task Int8_movenet_calibrated_on_photos_is_judged_by_keypoint_distance_and_keeps_the_people_it_saw()
    {
        var settings = SharedStore.Settings;
        using var store = new ModelStore(settings);
        var card = ModelCatalog.Load(settings).Get("body/movenet/lightning");
        var local = await store.OpenAsync(card);
        var model = OnnxModel.Load(ImportedModelCache.RunnableModelPath(local));
        var calibration = QuantizationImages.Decode(new[]
        {
            "skimage/astronaut.png", "skimage/coffee.png", "skimage/rocket.jpg", "skimage/motorcycle_left.png", "darknet/dog.jpg",
            "darknet/horses.jpg", "darknet/person.jpg",
        }.Select(TestAssets.Image));

        // MoveNet takes int32 pixels: calibration feeds the input in the element type the graph takes.
        var result = StaticQuantizer.Quantize(model, null, card, calibration, new QuantizationOptions { MinimumAgreement = 0 });

        Assert.Equal("keypoints-within-5%", result.Agreement.Metric);
        Assert.True(result.QuantizedWeights > 10, $"int8 weight tensors: {result.QuantizedWeights}");
        Assert.True(result.Agreement.Value >= StaticQuantizer.DefaultKeypointThreshold,
            $"keypoints within 5 % of the diagonal on the calibration photos: {result.Agreement.Value:F3} (mean {result.Agreement.Measures["meanDistancePixels"]:F1} px)");
    }

    [Fact]
    public async Task Int8_nanodet_keeps_the_fp32_boxes_on_held_out_photos_with_its_infinite_max_pool_padding_left_in_float()
    {
        var settings = SharedStore.Settings;
        using var store = new ModelStore(settings);
        var card = ModelCatalog.Load(settings).Get("coco/nanodet/detection");
        var local = await store.OpenAsync(card);
        var model = OnnxModel.Load(ImportedModelCache.RunnableModelPath(local));
        var calibration = QuantizationImages.Decode(QuantizationImages.ScenePhotos.Select(TestAssets.Image));

        var result = StaticQuantizer.Quantize(model, null, card, calibration);

        // TensorFlow pads in front of its max pool with -inf: no uint8 range holds that, so the padded tensor gets no
        // QuantizeLinear and the pool that reads it runs in float.
        var pool = model.Proto.Graph.Node.Single(n => n.OpType == "MaxPool");
        Assert.Contains(OpsetUpgrader.NodeName(pool), result.FloatNodes);
        Assert.DoesNotContain(result.Model.Proto.Graph.Node, n => n.OpType == "QuantizeLinear" && n.Input[0] == pool.Input[0]);
        Assert.True(result.QuantizedWeights >= 30, $"int8 weight tensors: {result.QuantizedWeights}");
        Assert.True(result.Agreement.Passes, $"calibration F1 {result.Agreement.Value:F3}");

        var heldOut = QuantizationImages.Decode(QuantizationImages.SceneHeldOut.Select(TestAssets.Image));
        var agreement = StaticQuantizer.MeasureAgreement(model, result.Model, card, heldOut);
        Assert.True(agreement.Measures["floatBoxes"] >= 12, $"fp32 boxes on the held-out photos: {agreement.Measures["floatBoxes"]}");
        Assert.True(agreement.Value >= StaticQuantizer.DefaultDetectionThreshold,
            $"held-out F1 {agreement.Value:F3} (recall {agreement.Measures["recall"]:F3}, precision {agreement.Measures["precision"]:F3}, {agreement.Measures["int8Boxes"]} int8 boxes of {agreement.Measures["floatBoxes"]})");
    }

    [Fact]
    public async Task Int8_movenet_places_the_fp32_keypoints_on_held_out_pictures_of_people()
    {
        var settings = SharedStore.Settings;
        using var store = new ModelStore(settings);
        var card = ModelCatalog.Load(settings).Get("body/movenet/lightning");
        var local = await store.OpenAsync(card);
        var model = OnnxModel.Load(ImportedModelCache.RunnableModelPath(local));
        var calibration = QuantizationImages.Decode(QuantizationImages.ScenePhotos.Select(TestAssets.Image));

        var result = StaticQuantizer.Quantize(model, null, card, calibration);

        // Its Relu6 clamps sit behind a Transpose (TensorFlow's layout): the convolutions ahead of them are
        // calibrated to 0..6, not to their raw range.
        var clip = model.Proto.Graph.Node.First(n => n.OpType == "Clip");
        var transpose = model.Proto.Graph.Node.Single(n => n.Output.Contains(clip.Input[0]));
        var scale = result.Model.Proto.Graph.Initializer.Single(t => t.Name == transpose.Input[0] + "_scale");
        Assert.True(TensorData.Floats(scale)[0] <= 6f / 255f + 1e-6f, $"scale of '{transpose.Input[0]}': {TensorData.Floats(scale)[0]}");
        var people = QuantizationImages.Decode(QuantizationImages.PeopleHeldOut.Select(TestAssets.Image));
        var agreement = StaticQuantizer.MeasureAgreement(model, result.Model, card, people);
        Assert.True(agreement.Measures["keypoints"] >= 50, $"fp32 keypoints shown on the held-out people: {agreement.Measures["keypoints"]}");
        Assert.True(agreement.Value >= StaticQuantizer.DefaultKeypointThreshold,
            $"keypoints within 5 % of the diagonal on held-out people: {agreement.Value:F3} (mean {agreement.Measures["meanDistancePixels"]:F1} px)");
    }
}
