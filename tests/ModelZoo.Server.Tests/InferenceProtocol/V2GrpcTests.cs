using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using ModelZoo.Server.InferenceProtocol.Grpc;
using ModelZoo.Server.Tests.Infrastructure;

namespace ModelZoo.Server.Tests.InferenceProtocol;

/// <summary><c>inference.GRPCInferenceService</c> driven by a client generated from the protocol definition.</summary>
[Collection(MobileNetCollection.Name)]
public sealed class V2GrpcTests(MobileNetHome home)
{
    [Fact]
    public async Task Live_ready_metadata_and_infer_answer_over_grpc_with_the_models_own_output()
    {
        await using var server = await RunningServer.StartAsync(home.Settings, o =>
        {
            o.Models.Add(MobileNetHome.Handle);
            o.GrpcPort = 0;
        });
        await server.WaitReadyAsync();
        using var channel = GrpcChannel.ForAddress(GrpcAddress(server));
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);

        Assert.True((await client.ServerLiveAsync(new ServerLiveRequest())).Live);
        Assert.True((await client.ServerReadyAsync(new ServerReadyRequest())).Ready);
        var serverMetadata = await client.ServerMetadataAsync(new ServerMetadataRequest());
        Assert.Equal("modelzoo", serverMetadata.Name);
        Assert.Contains("binary_tensor_data", serverMetadata.Extensions);
        Assert.True((await client.ModelReadyAsync(new ModelReadyRequest { Name = MobileNetTensors.V2Name })).Ready);

        var tensor = MobileNetTensors.Dog();
        var (input, outputs, expected) = await MobileNetTensors.ReferenceAsync(home.Settings, tensor);
        var metadata = await client.ModelMetadataAsync(new ModelMetadataRequest { Name = MobileNetTensors.V2Name });
        Assert.Equal("onnxruntime_onnx", metadata.Platform);
        Assert.Equal(input.Name, Assert.Single(metadata.Inputs).Name);
        Assert.Equal([-1L, 3, 224, 224], metadata.Inputs[0].Shape);
        Assert.Equal(outputs.Select(o => o.Name), metadata.Outputs.Select(o => o.Name));

        // Raw contents (what Triton's clients send).
        var raw = new ModelInferRequest { ModelName = MobileNetTensors.V2Name, Id = "raw" };
        raw.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = input.Name, Datatype = "FP32", Shape = { 1, 3, 224, 224 } });
        raw.RawInputContents.Add(ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(tensor.AsSpan())));
        var rawResponse = await client.ModelInferAsync(raw);
        Assert.Equal("raw", rawResponse.Id);
        Assert.Equal(MobileNetTensors.Card.Version, rawResponse.ModelVersion);
        var output = Assert.Single(rawResponse.Outputs);
        Assert.Equal("FP32", output.Datatype);
        Assert.Equal(expected[0].Shape, output.Shape);
        MobileNetTensors.AssertClose(expected[0].AsFloats(), Floats(rawResponse.RawOutputContents[0]));

        // Typed contents, naming the output.
        var typed = new ModelInferRequest { ModelName = MobileNetTensors.V2Name, ModelVersion = MobileNetTensors.Card.Version };
        var typedInput = new ModelInferRequest.Types.InferInputTensor { Name = input.Name, Datatype = "FP32", Shape = { 1, 3, 224, 224 }, Contents = new InferTensorContents() };
        typedInput.Contents.Fp32Contents.Add(tensor);
        typed.Inputs.Add(typedInput);
        typed.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = outputs[0].Name });
        var typedResponse = await client.ModelInferAsync(typed);
        MobileNetTensors.AssertClose(expected[0].AsFloats(), Floats(typedResponse.RawOutputContents[0]));

        var index = await client.RepositoryIndexAsync(new RepositoryIndexRequest { Ready = true });
        Assert.Contains(index.Models, m => m.Name == MobileNetTensors.V2Name && m.State == "READY");
    }

    [Fact]
    public async Task Grpc_errors_carry_protocol_status_codes_and_the_api_key_is_required_past_the_health_checks()
    {
        await using var server = await RunningServer.StartAsync(home.Settings, o =>
        {
            o.Models.Add(MobileNetHome.Handle);
            o.GrpcPort = 0;
            o.ApiKey = "s3cret";
        });
        using var channel = GrpcChannel.ForAddress(GrpcAddress(server));
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        Assert.True((await client.ServerLiveAsync(new ServerLiveRequest())).Live);
        var denied = await Assert.ThrowsAsync<RpcException>(async () => await client.ModelMetadataAsync(new ModelMetadataRequest { Name = MobileNetTensors.V2Name }));
        Assert.Equal(StatusCode.Unauthenticated, denied.StatusCode);

        var key = new Metadata { { "x-api-key", "s3cret" } };
        var missing = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.ModelMetadataAsync(new ModelMetadataRequest { Name = "imagenet~no_such_model~classification" }, key));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);

        var bad = new ModelInferRequest { ModelName = MobileNetTensors.V2Name };
        bad.Inputs.Add(new ModelInferRequest.Types.InferInputTensor { Name = "input", Datatype = "FP32", Shape = { 1, 3, 224, 224 } });
        bad.RawInputContents.Add(ByteString.CopyFrom(new byte[12]));
        var invalid = await Assert.ThrowsAsync<RpcException>(async () => await client.ModelInferAsync(bad, key));
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        Assert.Contains("bytes", invalid.Status.Detail, StringComparison.Ordinal);
    }

    /// <summary>The HTTP/2 listener: the server's second address (the first is the REST port).</summary>
    private static Uri GrpcAddress(RunningServer server)
    {
        var addresses = ZooServer.Addresses(server.App);
        Assert.Equal(2, addresses.Count);
        return addresses.Single(a => a != server.BaseUri);
    }

    private static float[] Floats(ByteString bytes) =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes.Span).ToArray();
}
