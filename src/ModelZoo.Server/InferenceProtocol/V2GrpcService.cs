using Google.Protobuf;
using Grpc.Core;
using ModelZoo.Server.InferenceProtocol.Grpc;

namespace ModelZoo.Server.InferenceProtocol;

/// <summary>
/// <c>inference.GRPCInferenceService</c> over <see cref="InferenceProtocolService"/>. Inputs may come as typed
/// contents or as <c>raw_input_contents</c>; outputs are always returned as <c>raw_output_contents</c> (what
/// Triton does and v2 clients read). Errors map to gRPC status codes (400 → InvalidArgument, 404 → NotFound,
/// 429 → ResourceExhausted, 503 → Unavailable, 504 → DeadlineExceeded).
/// </summary>
internal sealed class V2GrpcService(InferenceProtocolService service) : GRPCInferenceService.GRPCInferenceServiceBase
{
    public override Task<ServerLiveResponse> ServerLive(ServerLiveRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerLiveResponse { Live = true });

    public override Task<ServerReadyResponse> ServerReady(ServerReadyRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerReadyResponse { Ready = service.IsServerReady });

    public override Task<ModelReadyResponse> ModelReady(ModelReadyRequest request, ServerCallContext context) => Guard(() =>
        Task.FromResult(new ModelReadyResponse { Ready = service.IsModelReady(service.Resolve(request.Name, request.Version)) }));

    public override Task<ServerMetadataResponse> ServerMetadata(ServerMetadataRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerMetadataResponse
        {
            Name = InferenceProtocolService.ServerName,
            Version = InferenceProtocolService.ServerVersion,
            Extensions = { InferenceProtocolService.Extensions },
        });

    public override Task<ModelMetadataResponse> ModelMetadata(ModelMetadataRequest request, ServerCallContext context) => Guard(async () =>
    {
        var card = service.Resolve(request.Name, request.Version);
        var (inputs, outputs) = await service.MetadataAsync(card, context.CancellationToken).ConfigureAwait(false);
        return new ModelMetadataResponse
        {
            Name = request.Name,
            Versions = { card.Version },
            Platform = InferenceProtocolService.Platform,
            Inputs = { inputs.Select(Metadata) },
            Outputs = { outputs.Select(Metadata) },
        };
    });

    public override Task<RepositoryIndexResponse> RepositoryIndex(RepositoryIndexRequest request, ServerCallContext context) =>
        Task.FromResult(new RepositoryIndexResponse
        {
            Models =
            {
                service.Index(request.Ready).Select(m => new RepositoryIndexResponse.Types.ModelIndex
                {
                    Name = m.Name, Version = m.Version, State = m.State, Reason = m.Reason,
                }),
            },
        });

    public override Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context) => Guard(async () =>
    {
        var card = service.Resolve(request.ModelName, request.ModelVersion);
        if (request.RawInputContents.Count > 0 && request.RawInputContents.Count != request.Inputs.Count)
        {
            throw V2DataTypes.Bad($"raw_input_contents has {request.RawInputContents.Count} entries for {request.Inputs.Count} inputs; send one per input, in order.");
        }
        var inputs = new List<NamedTensor>(request.Inputs.Count);
        for (var i = 0; i < request.Inputs.Count; i++)
        {
            var input = request.Inputs[i];
            if (V2DataTypes.ClrType(input.Datatype) is null)
            {
                throw V2DataTypes.Bad($"input '{input.Name}' is {input.Datatype}, which is not supported here; use FP32, FP64, INT64, INT32, UINT8, INT8 or BOOL.");
            }
            var count = V2DataTypes.ElementCount(input.Name, input.Shape);
            var data = request.RawInputContents.Count > 0
                ? V2DataTypes.FromBytes(input.Name, input.Datatype, request.RawInputContents[i].Span, count)
                : FromContents(input, count);
            inputs.Add(new NamedTensor(input.Name, data, [.. input.Shape]));
        }
        var outputs = await service.InferAsync(card, inputs, request.Outputs.Select(o => o.Name).ToList(), context.CancellationToken)
            .ConfigureAwait(false);
        var response = new ModelInferResponse { ModelName = request.ModelName, ModelVersion = card.Version, Id = request.Id };
        foreach (var output in outputs)
        {
            response.Outputs.Add(new ModelInferResponse.Types.InferOutputTensor
            {
                Name = output.Name,
                Datatype = V2DataTypes.FromArray(output.Data),
                Shape = { output.Shape },
            });
            response.RawOutputContents.Add(UnsafeByteOperations.UnsafeWrap(V2DataTypes.ToBytes(output.Data)));
        }
        return response;
    });

    private static Array FromContents(ModelInferRequest.Types.InferInputTensor input, long count)
    {
        var contents = input.Contents ?? new InferTensorContents();
        Array data = input.Datatype switch
        {
            "FP32" => contents.Fp32Contents.ToArray(),
            "FP64" => contents.Fp64Contents.ToArray(),
            "INT64" => contents.Int64Contents.ToArray(),
            "INT32" => contents.IntContents.ToArray(),
            "INT8" => contents.IntContents.Select(v => checked((sbyte)v)).ToArray(),
            "UINT8" => contents.UintContents.Select(v => checked((byte)v)).ToArray(),
            "BOOL" => contents.BoolContents.ToArray(),
            _ => throw V2DataTypes.Bad($"input '{input.Name}' is {input.Datatype}, which is not supported here."),
        };
        if (data.Length != count)
        {
            throw V2DataTypes.Bad($"input '{input.Name}' has {data.Length} elements in its contents but its shape needs {count}; send the row-major elements of the shape.");
        }
        return data;
    }

    private static ModelMetadataResponse.Types.TensorMetadata Metadata(TensorInfo info) => new()
    {
        Name = info.Name,
        Datatype = V2DataTypes.FromOnnx(info.ElementType),
        Shape = { info.Shape },
    };

    private async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            service.LogUnexpected(ex);
            if (ex is OverflowException)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, "a tensor element is out of range for its datatype; send values the datatype holds."));
            }
            var (status, _) = ApiErrors.Classify(ex);
            var code = status switch
            {
                400 or 413 => StatusCode.InvalidArgument,
                401 => StatusCode.Unauthenticated,
                404 => StatusCode.NotFound,
                429 or 507 => StatusCode.ResourceExhausted,
                503 => StatusCode.Unavailable,
                504 => StatusCode.DeadlineExceeded,
                _ when ex is OperationCanceledException => StatusCode.Cancelled,
                _ => StatusCode.Internal,
            };
            var message = status == 500 && ex is not ZooException
                ? $"the server failed unexpectedly ({ex.GetType().Name}); check the server log and report it if it persists."
                : ex.Message;
            throw new RpcException(new Status(code, message));
        }
    }
}
