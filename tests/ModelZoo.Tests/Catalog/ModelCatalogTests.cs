using ModelZoo.Catalog;

namespace ModelZoo.Tests.Catalog;

public sealed class ModelCatalogTests : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), $"zoo-catalog-{Guid.NewGuid():N}");
    private ZooSettings Settings => new() { Home = _home, Offline = true };

    public void Dispose()
    {
        if (Directory.Exists(_home))
        {
            Directory.Delete(_home, recursive: true);
        }
    }

    private static ModelCard UserCard(string handle, string title = "Flowers") => new()
    {
        Handle = handle,
        Title = title,
        Task = ModelTask.ImageClassification,
        Files = [new ModelFile { Name = "model.onnx", Source = "file:/models/flowers.onnx", Sha256 = new string('a', 64), Size = 1234 }],
        License = new LicenseInfo { Spdx = "MIT" },
        Input = new InputSpec { Width = 224, Height = 224 },
        Output = new OutputSpec { Kind = OutputKind.Probabilities, Size = 5 },
        Labels = new LabelsSpec { Source = "builtin:voc20", Count = 20 },
        Tags = ["transfer-learning"],
    };

    [Fact]
    public void Get_with_a_typo_suggests_the_closest_handle()
    {
        var catalog = ModelCatalog.LoadBuiltin();
        var error = Assert.Throws<ModelNotFoundException>(() => catalog.Get("imagenet/resnet18/feature_vectr"));
        Assert.Equal("model-not-found", error.Code);
        Assert.Equal("imagenet/resnet18/feature_vector", error.Suggestion);
        Assert.Contains("did you mean 'imagenet/resnet18/feature_vector'?", error.Message);
        Assert.EndsWith("run `zoo list` to see the available handles.", error.Message);

        var far = Assert.Throws<ModelNotFoundException>(() => catalog.Get("zzzzzzzzzzzzzzzzzzzzzzzzzz/qqqq"));
        Assert.Null(far.Suggestion);
    }

    [Fact]
    public void Find_filters_by_task_license_and_text()
    {
        var catalog = ModelCatalog.LoadBuiltin();
        var detectors = catalog.Find(task: ModelTask.ObjectDetection).ToList();
        Assert.NotEmpty(detectors);
        Assert.All(detectors, c => Assert.Equal(ModelTask.ObjectDetection, c.Task));
        Assert.Contains(catalog.Find(text: "YOLO"), c => c.Handle == "coco/yolov4/detection");
        Assert.All(catalog.Find(license: "mit"), c => Assert.Equal("MIT", c.License.Spdx));
        Assert.Contains(catalog.Find(ModelTask.ImageFeatureVector, "MIT", "resnet"), c => c.Handle == "imagenet/resnet18/feature_vector");
        Assert.Empty(catalog.Find(ModelTask.TextEmbedding, text: "yolo"));
    }

    [Fact]
    public void Register_writes_a_card_that_Load_reads_back_and_Unregister_removes()
    {
        var catalog = ModelCatalog.Load(Settings);
        var builtinCount = catalog.Cards.Count;

        var path = catalog.Register(UserCard("user/flowers/classifier"), Settings);

        Assert.Equal(Path.Combine(_home, "catalog", "user+flowers+classifier.json"), path);
        Assert.True(File.Exists(path));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
        Assert.True(catalog.TryGet("user/flowers/classifier", out _));

        var reloaded = ModelCatalog.Load(Settings);
        Assert.Equal(builtinCount + 1, reloaded.Cards.Count);
        var card = reloaded.Get("user/flowers/classifier");
        Assert.Equal("Flowers", card.Title);
        Assert.Equal(5, card.Output!.Size);
        Assert.False(reloaded.IsBuiltin(card.Handle));
        Assert.Equal(path, reloaded.OriginOf(card.Handle));

        Assert.True(reloaded.Unregister("user/flowers/classifier", Settings));
        Assert.False(File.Exists(path));
        Assert.False(reloaded.TryGet("user/flowers/classifier", out _));
        Assert.False(reloaded.Unregister("user/flowers/classifier", Settings));
        Assert.Equal(builtinCount, ModelCatalog.Load(Settings).Cards.Count);
    }

    [Fact]
    public void Register_refuses_an_existing_user_handle_unless_overwrite()
    {
        var catalog = ModelCatalog.Load(Settings);
        catalog.Register(UserCard("user/flowers/classifier"), Settings);

        var error = Assert.Throws<DuplicateModelException>(() => catalog.Register(UserCard("user/flowers/classifier", "Other"), Settings));
        Assert.Equal("duplicate-model", error.Code);

        catalog.Register(UserCard("user/flowers/classifier", "Other"), Settings, overwrite: true);
        Assert.Equal("Other", ModelCatalog.Load(Settings).Get("user/flowers/classifier").Title);
    }

    [Fact]
    public void Register_refuses_a_builtin_handle_even_with_overwrite()
    {
        var catalog = ModelCatalog.Load(Settings);
        var error = Assert.Throws<DuplicateModelException>(() =>
            catalog.Register(UserCard("imagenet/resnet18/feature_vector"), Settings, overwrite: true));
        Assert.Contains("ModelZoo.Catalog.Builtin.", error.FirstOrigin);
        Assert.False(Directory.Exists(Path.Combine(_home, "catalog")) && Directory.EnumerateFiles(Path.Combine(_home, "catalog")).Any());
        Assert.Throws<ZooUsageException>(() => catalog.Unregister("imagenet/resnet18/feature_vector", Settings));
    }

    [Fact]
    public void Register_rejects_an_invalid_card_listing_the_problems()
    {
        var catalog = ModelCatalog.Load(Settings);
        var bad = UserCard("user/bad/card") with { Labels = null, Files = [new ModelFile { Name = "model.onnx", Source = "ftp://x", Sha256 = "ABC", Size = 0 }] };
        var error = Assert.Throws<InvalidModelCardException>(() => catalog.Register(bad, Settings));
        Assert.Contains("labels are required", error.Message);
        Assert.Contains("files[0].source", error.Message);
        Assert.Contains("files[0].sha256", error.Message);
        Assert.Contains("files[0].size", error.Message);
    }

    [Fact]
    public void A_user_file_that_repeats_a_handle_is_an_error_naming_both_files()
    {
        var folder = Path.Combine(_home, "catalog");
        Directory.CreateDirectory(folder);
        var json = ModelCardJson.Serialize(UserCard("user/flowers/classifier"));
        File.WriteAllText(Path.Combine(folder, "a.json"), json);
        File.WriteAllText(Path.Combine(folder, "b.json"), json);

        var error = Assert.Throws<DuplicateModelException>(() => ModelCatalog.Load(Settings));
        Assert.Contains(Path.Combine(folder, "a.json"), error.Message);
        Assert.Contains(Path.Combine(folder, "b.json"), error.Message);
    }

    [Fact]
    public void A_user_file_that_repeats_a_builtin_handle_is_an_error()
    {
        var folder = Path.Combine(_home, "catalog");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "mine.json"), ModelCardJson.Serialize(UserCard("imagenet/resnet18/feature_vector")));
        var error = Assert.Throws<DuplicateModelException>(() => ModelCatalog.Load(Settings));
        Assert.Contains("mine.json", error.SecondOrigin);
    }

    [Fact]
    public void Malformed_json_names_the_origin_and_the_field()
    {
        var missing = Assert.Throws<InvalidModelCardException>(() => ModelCardJson.Deserialize("""{"handle":"a/b","task":"image-classification","files":[]}""", "cards/x.json"));
        Assert.Equal("cards/x.json", missing.Origin);
        Assert.Contains("license", missing.Message);

        var wrongType = Assert.Throws<InvalidModelCardException>(() => ModelCardJson.Deserialize(
            """{"handle":"a/b","task":"image-classification","license":{"spdx":"MIT"},"files":[{"name":"m.onnx","source":"file:m.onnx","sha256":"x","size":"big"}]}""", "y.json"));
        Assert.Contains("files[0].size", wrongType.Message);

        var unknown = Assert.Throws<InvalidModelCardException>(() => ModelCardJson.Deserialize(
            """{"handle":"a/b","task":"image-classification","license":{"spdx":"MIT"},"files":[],"colour":"red"}""", "z.json"));
        Assert.Contains("colour", unknown.Message);

        var badTask = Assert.Throws<InvalidModelCardException>(() => ModelCardJson.Deserialize(
            """{"handle":"a/b","task":"teleport","license":{"spdx":"MIT"},"files":[]}""", "t.json"));
        Assert.Contains("task", badTask.Message);
    }

    [Fact]
    public void Json_uses_camel_case_enum_names_and_skips_nulls()
    {
        var json = ModelCardJson.Serialize(UserCard("user/flowers/classifier"));
        Assert.Contains("\"task\": \"image-classification\"", json);
        Assert.Contains("\"colorOrder\": \"RGB\"", json);
        Assert.Contains("\"layout\": \"NCHW\"", json);
        Assert.Contains("\"kind\": \"probabilities\"", json);
        Assert.DoesNotContain("description", json);
        Assert.DoesNotContain("modelFile", json);
        Assert.DoesNotContain("totalSize", json);
    }
}
