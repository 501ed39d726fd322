using System.Text.Json.Serialization;

namespace ModelZoo.Catalog;

/// <summary>On-disk format of a model as published. Everything is run as ONNX; other formats
/// are imported to ONNX once.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ModelFormat>))]
public enum ModelFormat
{
    /// <summary>ONNX protobuf.</summary>
    [JsonStringEnumMemberName("onnx")] Onnx,
    /// <summary>TensorFlow.js graph model (model.json + weight shards).</summary>
    [JsonStringEnumMemberName("tfjs")] Tfjs,
    /// <summary>TensorFlow Lite flatbuffer.</summary>
    [JsonStringEnumMemberName("tflite")] Tflite,
}
