using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Onnx;
using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Tests.Infrastructure;
using ModelZoo.Training.Features;
using ModelZoo.Training.Transfer;

namespace ModelZoo.Training.Tests.Transfer;

public sealed class MobileNetTransferTests
{
    [Fact]
    public async Task An_int8_classifier_is_cut_and_retrained_on_new_classes_and_its_export_matches_the_pipeline()
    {
        var root = Path.Combine(Path.GetTempPath(), "zoo-transfer-mnv2-" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            var settings = new ZooSettings { Home = Path.Combine(root, "home") };
            // The catalog card's real download path, with its public host replaced by a loopback server.
            var local = await MobileNetStore.PullAsync(settings);
            var data = TuxpaintDataset.Create(Path.Combine(root, "four"), perClass: 15, classes: 4);
            using var store = new ModelStore(settings);
            var learner = new TransferLearner(store, ModelCatalog.Load(settings), settings);
            var result = await learner.TrainAsync(new TransferOptions
            {
                BaseHandle = MobileNetStore.Handle,
                Data = data,
                OutputDirectory = Path.Combine(root, "run"),
                Epochs = 20,
                LearningRate = 0.01f,
            });

            // Four classes: chance is 0.25.
            Assert.True(result.Metrics.ValidationAccuracy >= 0.6, $"validation accuracy {result.Metrics.ValidationAccuracy:P1}");
            Assert.Equal("local/four", result.Card.Handle);
            Assert.Equal(256, result.Card.Input!.ResizeShorterSide);
            Assert.Equal("Apache-2.0", result.Card.License.Spdx);

            var baseCard = local.Card;
            var backbone = HeadlessCutter.Cut(OnnxModel.Load(local.ModelPath));
            using var extractor = BackboneFeatureExtractor.Open(backbone, baseCard.Input!, null, "parity", new FeatureCache(Path.Combine(root, "parity")));
            var paths = result.ValidationImages;
            var features = await extractor.ExtractAsync(paths);
            var expected = new float[paths.Count * result.Labels.Count];
            result.Head.PredictProbabilities(features.Images.SelectMany(i => i.Features![0]).ToArray(), paths.Count, expected);

            var input = result.Card.Input!;
            var length = ImagePreprocessor.TensorLength(input);
            var tensor = new float[paths.Count * length];
            for (var i = 0; i < paths.Count; i++)
            {
                using var image = ImageDecoder.Decode(paths[i]);
                ImagePreprocessor.WriteTensor(image, input, tensor.AsSpan(i * length, length));
            }
            using var exported = ModelSession.Open(result.ModelPath);
            var actual = exported.Run("pixels", tensor, [paths.Count, 3, input.Height, input.Width], ["probabilities"])[0].AsFloats();
            var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            Assert.True(worst <= 1e-4, $"largest probability difference {worst}");
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
