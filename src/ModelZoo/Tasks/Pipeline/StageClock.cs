using System.Diagnostics;

namespace ModelZoo.Tasks;

/// <summary>Running totals of the time a pipeline spends per stage. Lock-free: workers decoding ahead and the
/// inference loop add to it at the same time.</summary>
internal sealed class StageClock
{
    private readonly long[] _ticks = new long[4];
    private long _images;

    /// <summary>Runs <paramref name="work"/> and adds its duration to <paramref name="stage"/>.</summary>
    public T Time<T>(PipelineStage stage, Func<T> work)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            return work();
        }
        finally
        {
            Add(stage, Stopwatch.GetTimestamp() - start);
        }
    }

    /// <summary>Adds <paramref name="timestampTicks"/> (<see cref="Stopwatch"/> ticks) to <paramref name="stage"/>.</summary>
    public void Add(PipelineStage stage, long timestampTicks) => Interlocked.Add(ref _ticks[(int)stage], timestampTicks);

    /// <summary>Counts images that went through the pipeline.</summary>
    public void CountImages(int count) => Interlocked.Add(ref _images, count);

    public StageTimings Snapshot() => new(Interlocked.Read(ref _images), Span(PipelineStage.Decode), Span(PipelineStage.Preprocess),
        Span(PipelineStage.Inference), Span(PipelineStage.Postprocess));

    private TimeSpan Span(PipelineStage stage) => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks[(int)stage]));
}
