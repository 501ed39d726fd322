using ModelZoo.Import;
using ModelZoo.Onnx;

namespace ModelZoo.Tasks;

/// <summary>Opens the session a task runs: the card's model file, joined with its preprocessing graph when the card names one.</summary>
internal static class TaskSessions
{
    public static ModelSession Open(LocalModel model, SessionSettings settings)
    {
        // TFJS (and later other) cards run their cached ONNX translation.
        var modelPath = ImportedModelCache.RunnableModelPath(model);
        var preprocess = model.Card.Input?.PreprocessGraph;
        if (preprocess is null)
        {
            return ModelSession.Open(modelPath, settings);
        }
        var composite = GraphComposer.Prepend(OnnxModel.Load(model.PathOf(preprocess)), OnnxModel.Load(modelPath), model.Card.Input!.Name);
        return ModelSession.Open(composite, settings);
    }

    /// <summary>Opens the task's session and hands it to <paramref name="create"/>, disposing it if construction fails
    /// (the created pipeline owns the session from then on).</summary>
    public static T OpenOwned<T>(LocalModel model, SessionSettings settings, Func<ModelSession, T> create)
    {
        var session = Open(model, settings);
        try
        {
            return create(session);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The graph input that takes the image: the card's <c>input.name</c>, or the session's first input when
    /// the card names none or a preprocessing graph sits in front (the card then names the inner model's input).</summary>
    public static TensorInfo ImageInput(ModelSession session, InputSpec spec)
    {
        var name = spec.PreprocessGraph is null ? spec.Name ?? session.Inputs[0].Name : session.Inputs[0].Name;
        return session.Inputs.FirstOrDefault(i => i.Name == name) ?? throw ZooErrors.ModelInputMissing.Raise(
            $"the model has no input named '{name}' (it has {string.Join(", ", session.Inputs.Select(i => i.Name))}); fix input.name in the model card.");
    }
}
