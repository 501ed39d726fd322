using ModelZoo.Catalog;
using ModelZoo.Store;
using ModelZoo.Tests.Infrastructure;
using ModelZoo.Training.Data;
using ModelZoo.Training.Tests.Data;
using ModelZoo.Training.Transfer;

namespace ModelZoo.Training.Tests.Transfer;

public sealed class TransferLearnerErrorTests
{
    private static async Task<T> TrainExpecting<T>(TempFolder temp, string data, string baseHandle = "imagenet/resnet18/feature_vector",
        ZooSettings? storeSettings = null) where T : Exception
    {
        var settings = new ZooSettings { Home = Path.Combine(temp.Path, "home"), Offline = true };
        using var store = new ModelStore(storeSettings ?? settings);
        var learner = new TransferLearner(store, ModelCatalog.Load(settings), settings);
        return await Assert.ThrowsAsync<T>(() => learner.TrainAsync(new TransferOptions
        {
            BaseHandle = baseHandle,
            Data = data,
            OutputDirectory = Path.Combine(temp.Path, "out"),
            Epochs = 2,
        }));
    }

    [Fact]
    public async Task A_single_class_folder_is_refused_before_any_model_is_opened()
    {
        using var temp = new TempFolder();
        var data = TuxpaintDataset.Create(Path.Combine(temp.Path, "one"), perClass: 3, classes: 1);
        var ex = await TrainExpecting<DatasetException>(temp, data);
        Assert.Equal(DatasetException.TooFewClassesCode, ex.Code);
        Assert.Contains("at least 2", ex.Message);
        Assert.Equal(1, ex.ExitCode);
    }

    [Fact]
    public async Task A_class_with_one_image_is_refused_with_its_name()
    {
        using var temp = new TempFolder();
        var data = TuxpaintDataset.Create(Path.Combine(temp.Path, "two"), perClass: 3, classes: 2);
        foreach (var extra in Directory.GetFiles(Path.Combine(data, "flowers")).Order().Skip(1))
        {
            File.Delete(extra);
        }
        var ex = await TrainExpecting<DatasetException>(temp, data);
        Assert.Equal(DatasetException.ClassTooSmallCode, ex.Code);
        Assert.Contains("'flowers' has 1 usable image", ex.Message);
    }

    [Fact]
    public async Task A_missing_folder_is_refused()
    {
        using var temp = new TempFolder();
        var ex = await TrainExpecting<DatasetException>(temp, Path.Combine(temp.Path, "nowhere"));
        Assert.Equal(DatasetException.NotFoundCode, ex.Code);
        Assert.Contains("nowhere", ex.Message);
    }

    [Fact]
    public async Task A_base_model_of_another_task_is_a_usage_error()
    {
        using var temp = new TempFolder();
        var data = TuxpaintDataset.Create(Path.Combine(temp.Path, "two"), perClass: 2, classes: 2);
        var ex = await TrainExpecting<ZooUsageException>(temp, data, "coco/yolov3/detection");
        Assert.Contains("object-detection", ex.Message);
        Assert.Equal(2, ex.ExitCode);
    }

    [Fact]
    public async Task A_class_left_with_one_readable_image_after_skipping_is_refused()
    {
        using var temp = new TempFolder();
        var data = TuxpaintDataset.Create(Path.Combine(temp.Path, "two"), perClass: 2, classes: 2);
        File.WriteAllText(Path.Combine(data, "flowers", "broken.png"), "not a png");
        File.Delete(Directory.GetFiles(Path.Combine(data, "flowers"), "*.png").Order().First(p => !p.EndsWith("broken.png", StringComparison.Ordinal)));
        var ex = await TrainExpecting<DatasetException>(temp, data, storeSettings: SharedStore.Settings);
        Assert.Equal(DatasetException.ClassTooSmallCode, ex.Code);
        Assert.Contains("1 unreadable image(s) were skipped", ex.Message);
        Assert.Contains("'flowers' has 1 usable image", ex.Message);
    }
}
