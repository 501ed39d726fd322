namespace ModelZoo.Tasks;

/// <summary>The stages <see cref="StageTimings"/> counts.</summary>
internal enum PipelineStage
{
    Decode,
    Preprocess,
    Inference,
    Postprocess,
}
