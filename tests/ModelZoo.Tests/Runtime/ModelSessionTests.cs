using ModelZoo.Runtime;
using ModelZoo.Tests.Onnx;

namespace ModelZoo.Tests.Runtime;

public sealed class ModelSessionTests
{
    [Fact]
    public void Run_MobileNetInt8_Batch2_Returns2x1000()
    {
        using var session = ModelSession.Open(TestAssets.SharedTestData("imagenet/mobilenetv2-12-int8.onnx"));
        var input = Assert.Single(session.Inputs);
        Assert.Equal([-1L, 3, 224, 224], input.Shape);
        Assert.Equal("batch_size", input.Symbols[0]);
        var data = RandomImageBatch(2, seed: 7);

        var outputs = session.Run(input.Name, data, [2, 3, 224, 224]);

        var logits = Assert.Single(outputs);
        Assert.Equal("output", logits.Name);
        Assert.Equal([2L, 1000], logits.Shape);
        var values = logits.AsFloats();
        Assert.Equal(2000, values.Length);
        Assert.All(values, v => Assert.True(float.IsFinite(v)));
        // Two different random images must not give identical scores.
        Assert.False(values.AsSpan(0, 1000).SequenceEqual(values.AsSpan(1000, 1000)));
    }

    [Fact]
    public void Inspect_MobileNetInt8_SummarisesTheModel()
    {
        using var session = ModelSession.Open(TestAssets.SharedTestData("imagenet/mobilenetv2-12-int8.onnx"));

        var inspection = session.Inspect();

        Assert.Equal(12, inspection.Opsets[""]);
        Assert.Equal(1, inspection.Opsets["com.microsoft"]);
        Assert.Equal("onnx.quantize", inspection.ProducerName);
        Assert.True(inspection.ParameterCount > 3_000_000);
        Assert.Equal(73, inspection.NodeCount);
        Assert.Equal("output: float[batch_size,1000]", Assert.Single(inspection.Outputs).ToString());
        Assert.Empty(inspection.Rewrites); // the batch is already symbolic
    }

    [Fact]
    public void Open_FixedBatchGraph_RunsBatch3LikeThreeSingleRuns()
    {
        var bytes = TestGraphs.FixedBatchConvNet().ToBytes();
        using var session = ModelSession.Open(bytes);
        Assert.NotEmpty(session.Inspect().Rewrites);
        Assert.Equal("X: float[batch,3,8,8]", session.Inputs[0].ToString());
        var rng = new Random(3);
        var batch = TestGraphs.RandomFloats(rng, 3 * 3 * 8 * 8);

        var together = Assert.Single(session.Run("X", batch, [3, 3, 8, 8]));

        Assert.Equal([3L, 5], together.Shape);
        for (var row = 0; row < 3; row++)
        {
            var single = batch.AsSpan(row * 192, 192).ToArray();
            var alone = Assert.Single(session.Run("X", single, [1, 3, 8, 8])).AsFloats();
            for (var k = 0; k < 5; k++)
            {
                Assert.Equal(alone[k], together.AsFloats()[row * 5 + k], 5);
            }
        }
    }

    [Fact]
    public void Open_FixedBatchGraphWithoutDynamicBatch_RejectsBatch3()
    {
        var bytes = TestGraphs.FixedBatchConvNet().ToBytes();
        using var session = ModelSession.Open(bytes, new SessionSettings { DynamicBatch = false });
        Assert.Empty(session.Inspect().Rewrites);

        var ex = Assert.Throws<ArgumentException>(() => session.Run("X", new float[3 * 192], [3, 3, 8, 8]));

        Assert.Contains("X: float[1,3,8,8]", ex.Message);
    }

    [Fact]
    public void Run_Int64Input_ReturnsInt64Output()
    {
        using var session = ModelSession.Open(TestGraphs.Int64AddNet().ToBytes());

        var output = Assert.Single(session.Run([new NamedTensor("X", new long[] { 1, 2, 3, 4, 5, 6 }, [2, 3])]));

        Assert.Equal([2L, 3], output.Shape);
        Assert.Equal([11L, 22, 33, 14, 25, 36], output.AsInt64s());
        Assert.Throws<InvalidOperationException>(() => output.AsFloats());
    }

    [Fact]
    public void Run_ConcurrentCallsOnOneSession_EachGetsItsOwnResult()
    {
        using var session = ModelSession.Open(TestGraphs.Int64AddNet().ToBytes());

        var results = new long[32][];
        Parallel.For(0, results.Length, i =>
        {
            var output = session.Run([new NamedTensor("X", new long[] { i, i, i }, [1, 3])]);
            results[i] = output[0].AsInt64s();
        });

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal([i + 10L, i + 20L, i + 30L], results[i]);
        }
    }

    [Fact]
    public void Run_BadInputs_ThrowArgumentExceptionsThatNameTheProblem()
    {
        using var session = ModelSession.Open(TestGraphs.Int64AddNet().ToBytes());

        var wrongName = Assert.Throws<ArgumentException>(() => session.Run([new NamedTensor("x", new long[3], [1, 3])]));
        Assert.Contains("its inputs are: X", wrongName.Message);
        var wrongSize = Assert.Throws<ArgumentException>(() => session.Run([new NamedTensor("X", new long[4], [1, 3])]));
        Assert.Contains("4 elements", wrongSize.Message);
        var wrongType = Assert.Throws<ArgumentException>(() => session.Run("X", new float[3], [1, 3]));
        Assert.Contains("expects int64", wrongType.Message);
        var wrongOutput = Assert.Throws<ArgumentException>(() => session.Run([new NamedTensor("X", new long[3], [1, 3])], ["Z"]));
        Assert.Contains("no output 'Z'", wrongOutput.Message);
    }

    [Fact]
    public void Open_NotAnOnnxFile_ThrowsModelLoadExceptionWithThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"modelzoo-not-onnx-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, "<html><body>404 Not Found</body></html>"u8.ToArray());
        try
        {
            var ex = Assert.Throws<ModelLoadException>(() => ModelSession.Open(path));

            Assert.Contains(path, ex.Message);
            Assert.Equal("model-load", ex.Code);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Open_UnsupportedOpset_ThrowsModelLoadException()
    {
        var model = TestGraphs.Int64AddNet();
        model.Proto.OpsetImport[0].Version = 999;

        var ex = Assert.Throws<ModelLoadException>(() => ModelSession.Open(model.ToBytes()));

        Assert.Contains("opset 999", ex.Message);
        Assert.Contains("ONNX Runtime cannot load", ex.Message);
    }

    [Fact]
    public void Open_CudaWithoutGpuRuntime_ThrowsExecutionProviderException()
    {
        var settings = new SessionSettings { Provider = ExecutionProvider.Cuda };

        var ex = Assert.Throws<ExecutionProviderException>(() => ModelSession.Open(TestAssets.SharedTestData("imagenet/mobilenetv2-12-int8.onnx"), settings));

        Assert.Equal("execution-provider", ex.Code);
        Assert.Equal(ExecutionProvider.Cuda, ex.Provider);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu", ex.Message);
        // The library names the API member; the CLI prints it as its flag (ApiFlags: --device cpu).
        Assert.EndsWith("use SessionSettings.Provider = cpu.", ex.Message);
    }

    [Fact]
    public void RequireProvider_checks_the_device_without_a_model()
    {
        ModelSession.RequireProvider(new SessionSettings());

        var ex = Assert.Throws<ExecutionProviderException>(() => ModelSession.RequireProvider(new SessionSettings { Provider = ExecutionProvider.Cuda }));
        Assert.Equal(ExecutionProvider.Cuda, ex.Provider);
        Assert.Contains("no CUDA execution provider", ex.Message);
    }

    private static float[] RandomImageBatch(int batch, int seed)
    {
        var rng = new Random(seed);
        var data = new float[batch * 3 * 224 * 224];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)(rng.NextDouble() * 2 - 1);
        }
        return data;
    }
}
