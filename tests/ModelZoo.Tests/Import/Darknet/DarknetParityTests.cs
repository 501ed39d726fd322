using ModelZoo.Import.Darknet;
using ModelZoo.Runtime;
using ModelZoo.Tests.Infrastructure;

namespace ModelZoo.Tests.Import.Darknet;

/// <summary>
/// Debian's Darknet cfgs with libdarknet-written random weights, imported and run by ONNX Runtime, give what
/// libdarknet's <c>network_predict</c> gives on the same input: every YOLO and region layer's output (as the forward
/// pass leaves it, logistic and softmax applied in place) or the classifier's output vector, to 1e-3 of the largest
/// output's magnitude. yolov3.cfg runs at 320×320 instead of its 608 (libdarknet's plain-C convolutions take 40 s
/// at 608 on one core); the other cfgs run at their own size.
/// </summary>
public sealed class DarknetParityTests
{
    private const double Tolerance = 1e-3;

    public static TheoryData<string, int?> Cfgs() => new()
    {
        { "yolov3-tiny.cfg", null },
        { "yolov3.cfg", 320 },
        { "yolov2-tiny.cfg", null },
        { "yolov2.cfg", 320 },
        { "darknet19.cfg", null },
        { "resnet18.cfg", null },
    };

    [Theory]
    [MemberData(nameof(Cfgs))]
    public void Imported_model_matches_libdarknet(string cfg, int? size)
    {
        var reference = DarknetReference.Get(DarknetReference.PackageCfg(cfg), size);
        var result = DarknetImporter.Import(reference.Cfg, reference.Weights);
        using var home = new TempHome();
        var onnx = Path.Combine(home.Path, "model.onnx");
        result.Model.Save(onnx);
        using var session = ModelSession.Open(onnx, new SessionSettings { DynamicBatch = false });

        var input = reference.Tensors.Single(t => t.Layer == -1);
        var outputs = session.Run(DarknetImporter.InputName, input.Values, [1, input.C, input.H, input.W]);
        var heads = reference.Tensors.Where(t => t.Layer >= 0).ToList();
        var expected = heads.Count > 0
            ? heads.Select(h => ($"{(result.LayerCounts.ContainsKey("yolo") ? "yolo" : "region")}_{h.Layer}", h.Values)).ToList()
            : [("output", reference.Tensors.Single(t => t.Layer == -2).Values)];
        Assert.Equal(expected.Count, outputs.Count(o => !o.Name.EndsWith("_anchors", StringComparison.Ordinal)));
        foreach (var (name, values) in expected)
        {
            var actual = outputs.Single(o => o.Name == name).AsFloats();
            Assert.Equal(values.Length, actual.Length);
            var largest = values.Max(v => Math.Abs((double)v));
            Assert.True(largest > 0, $"{name}: libdarknet's output is all zeros, so it tests nothing");
            var worst = 0d;
            var worstAt = 0;
            for (var i = 0; i < values.Length; i++)
            {
                var d = Math.Abs(values[i] - (double)actual[i]);
                if (d > worst)
                {
                    (worst, worstAt) = (d, i);
                }
            }
            Assert.True(worst <= Tolerance * largest,
                $"{cfg} {name}: |onnx − darknet| = {worst:G4} at {worstAt} (darknet {values[worstAt]}, onnx {actual[worstAt]}), largest output {largest:G4}");
        }
    }
}
