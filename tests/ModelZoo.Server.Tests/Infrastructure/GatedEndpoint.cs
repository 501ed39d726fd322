using ModelZoo.Catalog;
using ModelZoo.Runtime;
using ModelZoo.Server.Adapters;
using System.Text.Json;
using ModelZoo.Store;
using ModelZoo.Tasks;

namespace ModelZoo.Server.Tests.Infrastructure;

/// <summary>
/// Wraps a real adapter so that a test can hold a batch inside inference: each batch signals <see cref="Entered"/>
/// and waits for <see cref="Open"/> before running the real model. Lets queueing, batching, timeouts and shutdown be
/// tested without relying on timing.
/// </summary>
public sealed class GatedEndpoint<TResult>(ITaskEndpoint inner) : ITaskEndpoint
{
    private readonly ManualResetEventSlim _open = new(false);
    private readonly List<int> _batchSizes = [];

    /// <summary>Released once per batch that reached inference.</summary>
    public SemaphoreSlim Entered { get; } = new(0);

    /// <summary>Sizes of the batches that reached inference, in order.</summary>
    public IReadOnlyList<int> BatchSizes
    {
        get
        {
            lock (_batchSizes)
            {
                return [.. _batchSizes];
            }
        }
    }

    public ModelTask Task => inner.Task;

    public TaskInput Input => inner.Input;

    public System.Text.Json.Nodes.JsonObject JsonSchema() => inner.JsonSchema();

    /// <summary>Lets every held and future batch run.</summary>
    public void Open() => _open.Set();

    public ITaskRunner Open(LocalModel model, SessionSettings session) => new Runner(
        inner.Open(model, session) as ITaskRunner<TResult> ?? throw new InvalidOperationException($"the wrapped adapter does not answer {typeof(TResult).Name}"), this);

    /// <summary>Waits (bounded) until a batch is inside inference.</summary>
    public async Task WaitEnteredAsync() =>
        Assert.True(await Entered.WaitAsync(TimeSpan.FromMinutes(1)), "no batch reached inference within a minute");

    private sealed class Runner(ITaskRunner<TResult> runner, GatedEndpoint<TResult> gate) : ITaskRunner<TResult>
    {
        public ModelCard Card => runner.Card;

        public IReadOnlyList<TResult> Predict(IReadOnlyList<PredictRequest> batch)
        {
            lock (gate._batchSizes)
            {
                gate._batchSizes.Add(batch.Count);
            }
            gate.Entered.Release();
            gate._open.Wait(TimeSpan.FromMinutes(1));
            return runner.Predict(batch);
        }

        public void WriteJson(Utf8JsonWriter writer, TResult result) => runner.WriteJson(writer, result);

        public TResult ToSource(TResult result, float scaleX, float scaleY) => runner.ToSource(result, scaleX, scaleY);

        public void Dispose() => runner.Dispose();
    }
}
