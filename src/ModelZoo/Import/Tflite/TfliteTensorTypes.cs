namespace ModelZoo.Import.Tflite;

/// <summary>The schema's <c>TensorType</c> codes the importer reads, and their names for messages.</summary>
internal static class TfliteTensorTypes
{
    public const int Float32 = 0;
    public const int Float16 = 1;
    public const int Int32 = 2;
    public const int UInt8 = 3;
    public const int Int64 = 4;
    public const int Bool = 6;
    public const int Int16 = 7;
    public const int Int8 = 9;

    private static readonly string[] Names =
        ["FLOAT32", "FLOAT16", "INT32", "UINT8", "INT64", "STRING", "BOOL", "INT16", "COMPLEX64", "INT8", "FLOAT64", "COMPLEX128",
         "UINT64", "RESOURCE", "VARIANT", "UINT32", "UINT16", "INT4"];

    public static string Name(int type) => type >= 0 && type < Names.Length ? Names[type] : $"type {type}";

    /// <summary>Bytes per element of the types constants may have; 0 for others.</summary>
    public static int Size(int type) => type switch
    {
        Float32 or Int32 => 4,
        Float16 or Int16 => 2,
        Int64 => 8,
        UInt8 or Int8 or Bool => 1,
        _ => 0,
    };
}
