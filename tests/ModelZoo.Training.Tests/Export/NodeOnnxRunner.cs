using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;

namespace ModelZoo.Training.Tests.Export;

/// <summary>
/// Runs a model on ONNX Runtime for Node.js through <c>tests/node/run-onnx.mjs</c>: a second, independent runtime for
/// exported files. Node and onnxruntime-node come from <c>scripts/install-test-deps.sh</c>; without them the test fails.
/// </summary>
internal static class NodeOnnxRunner
{
    private const string InstallHint = "run scripts/install-test-deps.sh (it installs Node.js and onnxruntime-node into .cache/node)";

    /// <summary>Output name → (shape, values) for one float32 input.</summary>
    public static IReadOnlyDictionary<string, (long[] Dims, float[] Data)> Run(string modelPath, float[] input, long[] shape)
    {
        var tensorPath = Path.Combine(Path.GetTempPath(), $"zoo-node-input-{Guid.NewGuid():N}.bin");
        var bytes = new byte[input.Length * sizeof(float)];
        for (var i = 0; i < input.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), input[i]);
        }
        File.WriteAllBytes(tensorPath, bytes);
        try
        {
            var start = new ProcessStartInfo("node")
            {
                WorkingDirectory = ExportTestAssets.RepoRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(ExportTestAssets.RepoRoot, "tests", "node", "run-onnx.mjs"));
            start.ArgumentList.Add(modelPath);
            start.ArgumentList.Add(tensorPath);
            start.ArgumentList.Add(string.Join(',', shape));
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned null");
            }
            catch (Win32Exception ex)
            {
                Assert.Fail($"Node.js ('node') could not be started ({ex.Message}); {InstallHint}.");
                throw;
            }
            using (process)
            {
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
                {
                    process.Kill(entireProcessTree: true);
                    Assert.Fail("node tests/node/run-onnx.mjs did not finish within 5 minutes.");
                }
                process.WaitForExit();
                var error = stderr.Result.Trim();
                Assert.True(process.ExitCode != 3, error); // its message names scripts/install-test-deps.sh
                Assert.True(process.ExitCode == 0, $"node tests/node/run-onnx.mjs exited with {process.ExitCode}: {error}");
                using var json = JsonDocument.Parse(stdout.Result);
                var outputs = new Dictionary<string, (long[], float[])>(StringComparer.Ordinal);
                foreach (var output in json.RootElement.GetProperty("outputs").EnumerateObject())
                {
                    Assert.Equal("float32", output.Value.GetProperty("type").GetString());
                    var dims = output.Value.GetProperty("dims").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                    var data = output.Value.GetProperty("data").EnumerateArray().Select(d => (float)d.GetDouble()).ToArray();
                    outputs[output.Name] = (dims, data);
                }
                return outputs;
            }
        }
        finally
        {
            File.Delete(tensorPath);
        }
    }
}
