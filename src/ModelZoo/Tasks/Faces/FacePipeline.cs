using ModelZoo.Catalog;
using ModelZoo.Imaging;

namespace ModelZoo.Tasks;

/// <summary>A face detector with face-attribute models run on every face it finds; owns both.</summary>
internal sealed class FacePipeline(FaceDetector detector, FaceAttributes attributes) : ITaskPipeline<IReadOnlyList<Face>, FaceOptions>
{
    public ModelCard Card => detector.Card;

    public StageTimings Timings => detector.Timings;

    public IReadOnlyList<Face> Run(RgbImage image, FaceOptions options)
    {
        var faces = detector.Detect(image, options);
        return options.Attributes ? attributes.Apply(image, faces) : faces;
    }

    public IReadOnlyList<IReadOnlyList<Face>> Run(IReadOnlyList<RgbImage> images, IReadOnlyList<FaceOptions> options) =>
        BatchCalls.EachImage(images, options, Run);

    public IAsyncEnumerable<ImageOutcome<IReadOnlyList<Face>>> RunFilesAsync(IReadOnlyList<string> paths, FaceOptions options, CancellationToken ct = default) =>
        ImageModelRunner.RunFilesAsync(paths, detector.DecodeOptions, image => Run(image, options), ct);

    public void Dispose()
    {
        detector.Dispose();
        attributes.Dispose();
    }
}
