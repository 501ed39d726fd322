using ModelZoo.Store;

namespace ModelZoo.Tests.Store;

/// <summary>Collects progress reports as they happen (Progress&lt;T&gt; would post them later).</summary>
internal sealed class SynchronousProgress(List<PullProgress> reports) : IProgress<PullProgress>
{
    public void Report(PullProgress value)
    {
        lock (reports)
        {
            reports.Add(value);
        }
    }
}
