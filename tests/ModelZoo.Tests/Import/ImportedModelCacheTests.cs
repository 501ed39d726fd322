using ModelZoo.Catalog;
using ModelZoo.Import;
using ModelZoo.Import.Tfjs;
using ModelZoo.Onnx;
using ModelZoo.Store;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Tests.Import;

public sealed class ImportedModelCacheTests
{
    private static string SmallModel(string folder) => new TfjsModelWriter()
        .Placeholder("x", "DT_FLOAT", 2).Const("w", [1f, 2f], 2).Node("y", "Mul", ["x", "w"]).Save(folder);

    [Fact]
    public void Imports_once_keyed_by_the_model_json_hash_and_reimports_a_stale_file()
    {
        using var home = new TempHome();
        var source = SmallModel(Path.Combine(home.Path, "src"));
        var cache = ImportedModelCache.ForStore(home.Settings());

        var first = cache.GetOrImportTfjs(source);
        var stamp = File.GetLastWriteTimeUtc(first);
        var second = cache.GetOrImportTfjs(source);

        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(source)));
        Assert.Equal(Path.Combine(home.Path, "imported", sha + ".onnx"), first);
        Assert.Equal(first, second);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(second));
        Assert.Empty(Directory.GetFiles(Path.Combine(home.Path, "imported"), "*.tmp"));

        // A file written by another importer version is replaced.
        var stale = OnnxModel.Load(first);
        stale.Metadata["modelzoo.importer"] = "tfjs-onnx/0";
        stale.Save(first);
        cache.GetOrImportTfjs(source);
        Assert.Equal(TfjsImporter.ImporterVersion, OnnxModel.Load(first).Metadata["modelzoo.importer"]);
    }

    [Fact]
    public void A_tfjs_card_outside_a_store_caches_beside_its_files_and_an_onnx_card_runs_its_own_file()
    {
        using var home = new TempHome();
        var source = SmallModel(home.Path);
        ModelCard Card(ModelFormat format, string name) => new()
        {
            Handle = "test/small/model",
            Task = ModelTask.ImageFeatureVector,
            Format = format,
            Files = [new ModelFile { Name = name, Source = "file:" + name, Sha256 = new string('0', 64), Size = 1 }],
            License = new LicenseInfo { Spdx = "MIT" },
        };

        var imported = ImportedModelCache.RunnableModelPath(new LocalModel(Card(ModelFormat.Tfjs, "model.json"),
            new Dictionary<string, string> { ["model.json"] = source }));
        var onnx = ImportedModelCache.RunnableModelPath(new LocalModel(Card(ModelFormat.Onnx, "m.onnx"),
            new Dictionary<string, string> { ["m.onnx"] = "/somewhere/m.onnx" }));

        Assert.Equal(Path.Combine(home.Path, "imported"), Path.GetDirectoryName(imported));
        Assert.True(File.Exists(imported));
        Assert.Equal("/somewhere/m.onnx", onnx);
    }
}
