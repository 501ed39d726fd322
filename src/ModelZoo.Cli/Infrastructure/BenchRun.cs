using System.Diagnostics;
using ModelZoo.Store;
using Spectre.Console;

namespace ModelZoo.Cli.Infrastructure;

/// <summary>
/// <c>zoo bench</c> at the task's own types: opens the descriptor's pipeline (the code the task's verb runs), makes one
/// warm-up pass over the images in calls of the batch size while recording the session calls each made, then times
/// the measured passes of the whole pipeline (files in, results out) and of the recorded session calls alone. Last, the
/// same passes as one stream of files, as <c>zoo detect DIR</c> runs them: the next batch decodes while this one is in
/// inference, which one call at a time never shows.
/// </summary>
internal sealed class BenchRun(ZooContext context, LocalModel model, IReadOnlyList<string> paths, int batch, int runs,
    ImageTaskOptions imageOptions, CancellationToken ct) : ITaskDescriptorVisitor<Task<BenchReport>>
{
    public Task<BenchReport> Visit<TResult, TOptions>(TaskDescriptor<TResult, TOptions> descriptor) where TOptions : class => RunAsync(descriptor);

    private async Task<BenchReport> RunAsync<TResult, TOptions>(TaskDescriptor<TResult, TOptions> descriptor) where TOptions : class
    {
        var options = descriptor.ParseOptions(TaskOptionValues.Empty);
        using var opened = descriptor.Open(model, [], imageOptions);
        if (opened is not ImagePipeline<TResult, TOptions> pipeline)
        {
            throw new ZooUsageException($"{TaskNames.Of(descriptor.Task)} models do not run on the image pipeline, so zoo bench cannot time them; time the task's own command instead.");
        }
        var calls = paths.Chunk(batch).ToArray();
        var imagesPerPass = paths.Count;
        var ticks = (long)imagesPerPass * (3 * runs + 1);
        var recordings = new InferenceRecording[calls.Length];
        var pipelineMs = new List<double>(calls.Length * runs);
        var ortMs = new List<double>(calls.Length * runs);
        StageTimings stages = StageTimings.Zero;
        var streamedMs = 0.0;
        await ImageProgress.RunAsync(context, "benchmarking", (int)Math.Min(ticks, int.MaxValue), tick => Task.Run(() =>
        {
            for (var c = 0; c < calls.Length; c++)
            {
                recordings[c] = pipeline.RecordInference(() => RunCall(pipeline, calls[c], options));
                Tick(tick, calls[c].Length);
            }
            var warm = pipeline.Timings;
            for (var r = 0; r < runs; r++)
            {
                foreach (var call in calls)
                {
                    pipelineMs.Add(Time(() => RunCall(pipeline, call, options)));
                    Tick(tick, call.Length);
                }
            }
            stages = pipeline.Timings.Since(warm);
            streamedMs = Time(() => RunStream(pipeline, Enumerable.Repeat(paths, runs).SelectMany(p => p), options, tick));
            for (var r = 0; r < runs; r++)
            {
                for (var c = 0; c < calls.Length; c++)
                {
                    ortMs.Add(Time(recordings[c].Replay));
                    Tick(tick, calls[c].Length);
                }
            }
        }, ct)).ConfigureAwait(false);
        return new BenchReport(model.Card.Handle, TaskNames.Of(descriptor.Task), batch, imageOptions.Session.IntraOpThreads, runs, imagesPerPass,
            CpuFeatures.Flags(), BenchReport.Summarise(pipelineMs, (long)imagesPerPass * runs),
            BenchReport.Summarise(ortMs, (long)imagesPerPass * runs), recordings.Sum(r => r.Calls), stages,
            streamedMs > 0 ? (long)imagesPerPass * runs / (streamedMs / 1000) : 0, imageOptions.ScaledDecode);
    }

    private void RunCall<TResult, TOptions>(ImagePipeline<TResult, TOptions> pipeline, string[] call, TOptions options) where TOptions : class
    {
        foreach (var outcome in pipeline.RunFilesAsync(call, options, ct).ToBlockingEnumerable(ct))
        {
            if (outcome.Error is { } error)
            {
                throw new ZooUsageException($"{error.Message.TrimEnd('.')}; zoo bench times every image, so remove that file from the --images folder.");
            }
        }
    }

    private void RunStream<TResult, TOptions>(ImagePipeline<TResult, TOptions> pipeline, IEnumerable<string> files, TOptions options, Action tick)
        where TOptions : class
    {
        foreach (var outcome in pipeline.RunFilesAsync(files.ToArray(), options, ct).ToBlockingEnumerable(ct))
        {
            if (outcome.Error is { } error)
            {
                throw new ZooUsageException($"{error.Message.TrimEnd('.')}; zoo bench times every image, so remove that file from the --images folder.");
            }
            tick();
        }
    }

    private static double Time(Action work)
    {
        var start = Stopwatch.GetTimestamp();
        work();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static void Tick(Action tick, int images)
    {
        for (var i = 0; i < images; i++)
        {
            tick();
        }
    }
}
