namespace ModelZoo.Training.Features;

/// <summary>What one <see cref="BackboneFeatureExtractor.ExtractAsync"/> call produced and what it cost.</summary>
/// <param name="Images">One entry per requested path, in request order.</param>
/// <param name="Hits">Vectors read from the cache.</param>
/// <param name="Misses">Vectors the cache did not have and the backbone computed (and cached); images that could not be decoded are not counted.</param>
/// <param name="Reading">Time spent reading and hashing files and looking them up in the cache (wall clock).</param>
/// <param name="Decoding">Time spent decoding, augmenting and preprocessing on worker threads (wall clock, overlaps <paramref name="Backbone"/>).</param>
/// <param name="Backbone">Time spent in backbone inference (wall clock).</param>
/// <param name="Stages">Time per stage summed over the computed vectors, as image pipelines count it (decoding; augmenting and
/// preprocessing; backbone inference; caching the rows as postprocessing); zero when every vector came from the cache.</param>
public sealed record FeatureExtractionRun(IReadOnlyList<ImageFeatures> Images, int Hits, int Misses, TimeSpan Reading, TimeSpan Decoding, TimeSpan Backbone,
    ModelZoo.Tasks.StageTimings? Stages = null);
