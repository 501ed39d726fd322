using ModelZoo.Onnx;
using ModelZoo.Runtime;
using ModelZoo.Store;

namespace ModelZoo.Tasks;

/// <summary>Opens the session a task runs: the card's model file, joined with its preprocessing graph when the card names one.</summary>
internal static class TaskSessions
{
    public static ModelSession Open(LocalModel model, SessionSettings settings)
    {
        var preprocess = model.Card.Input?.PreprocessGraph;
        if (preprocess is null)
        {
            return ModelSession.Open(model.ModelPath, settings);
        }
        var composite = GraphComposer.Prepend(OnnxModel.Load(model.PathOf(preprocess)), OnnxModel.Load(model.ModelPath), model.Card.Input!.Name);
        return ModelSession.Open(composite, settings);
    }
}
