using ModelZoo.Import;
using ModelZoo.Onnx;
using ModelZoo.Store;

namespace ModelZoo.Training.Transfer;

/// <summary>
/// What every training run starts from: the dataset, the handle the result is registered under, and the base model
/// pulled, cut below its classifier, with its preprocessing graph when the card names one.
/// </summary>
internal sealed record TrainingBase(
    ImageDataset Dataset,
    string Handle,
    ModelCard BaseCard,
    InputSpec Spec,
    HeadlessModel Backbone,
    OnnxModel? Preprocess,
    string? PreprocessSha)
{
    /// <summary>
    /// Loads the data first (a wrong folder fails in milliseconds, before any model is pulled), checks the handle and
    /// the base card (<paramref name="checkBase"/> adds the caller's own checks), then pulls and cuts the base model.
    /// </summary>
    public static async Task<TrainingBase> ResolveAsync(TransferOptions options, ModelCatalog catalog, ModelStore store,
        string purpose, Action<ModelCard>? checkBase, CancellationToken ct)
    {
        var dataset = ImageDataset.Load(options.Data);
        var handle = options.Name ?? RunHandle.DefaultName(options.Data);
        RunHandle.Check(options, catalog);

        var baseCard = catalog.Get(options.BaseHandle);
        if (baseCard.Task is not (ModelTask.ImageClassification or ModelTask.ImageFeatureVector))
        {
            throw new ZooUsageException(
                $"'{baseCard.Handle}' is a {FeatureExtractor.TaskName(baseCard.Task)} model; {purpose} needs an image-classification or image-feature-vector base — set TransferOptions.BaseHandle to a model whose card's task is image-feature-vector.");
        }
        checkBase?.Invoke(baseCard);

        var spec = baseCard.Input ?? throw ZooErrors.CardInputMissing.Raise(
            $"the card of '{baseCard.Handle}' has no input spec, so images cannot be preprocessed for it; add an 'input' section to the card.");
        var local = await store.OpenAsync(baseCard, null, ct).ConfigureAwait(false);
        var backbone = HeadlessCutter.Cut(OnnxModel.Load(ImportedModelCache.RunnableModelPath(local)), baseCard);
        OnnxModel? preprocess = null;
        string? preprocessSha = null;
        if (spec.PreprocessGraph is { } graphName)
        {
            preprocess = OnnxModel.Load(local.PathOf(graphName));
            preprocessSha = baseCard.Files.First(f => f.Name == graphName).Sha256;
        }
        return new TrainingBase(dataset, handle, baseCard, spec, backbone, preprocess, preprocessSha);
    }
}
