using ModelZoo.Imaging;
using ModelZoo.Tasks;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Tests.Tasks;

public sealed class ImageClassifierTests
{
    [Fact]
    public async Task MobileNet_card_classifies_real_photos_through_the_catalogs_download_path()
    {
        using var home = new TempHome();
        var model = await MobileNetStore.PullAsync(home.Settings());
        using var classifier = ImageClassifier.Open(model);
        Assert.Equal(1000, classifier.Labels.Count);

        using var cat = ImageDecoder.Decode(TestAssets.Image("skimage/chelsea.png"));
        var predictions = classifier.Classify(cat, top: 5);
        Assert.Equal(5, predictions.Count);
        // ImageNet's domestic cat classes: tabby 281, tiger cat 282, Persian 283, Siamese 284, Egyptian cat 285.
        Assert.Contains(predictions, p => p.Index is >= 281 and <= 285);
        Assert.True(predictions.Zip(predictions.Skip(1)).All(pair => pair.First.Score >= pair.Second.Score));
        var all = classifier.Probabilities(new float[1000]);
        Assert.Equal(1f, all.Sum(), 3);

        using var dog = ImageDecoder.Decode(TestAssets.Image("darknet/dog.jpg"));
        var dogTop = classifier.Classify(dog, top: 5);
        // ImageNet dog breeds occupy indices 151–268.
        Assert.Contains(dogTop, p => p.Index is >= 151 and <= 268);
    }
}
