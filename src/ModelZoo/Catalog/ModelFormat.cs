namespace ModelZoo.Catalog;

/// <summary>On-disk format of a model as published. Everything is run as ONNX; other formats
/// are imported to ONNX once.</summary>
[CatalogNames]
public enum ModelFormat
{
    /// <summary>ONNX protobuf.</summary>
    Onnx,
    /// <summary>TensorFlow.js graph model (model.json + weight shards).</summary>
    Tfjs,
    /// <summary>TensorFlow Lite flatbuffer.</summary>
    Tflite,
}
