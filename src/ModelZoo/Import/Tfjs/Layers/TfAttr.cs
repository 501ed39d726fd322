using System.Text;

namespace ModelZoo.Import.Tfjs.Layers;

/// <summary>Builds TensorFlow <c>AttrValue</c> JSON the way TFJS graph models write it, so that the nodes a Keras layer
/// stands for are read by the same op converters as a graph model's.</summary>
internal static class TfAttr
{
    public static JsonElement String(string value) =>
        Parse($"{{\"s\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes(value))}\"}}");

    public static JsonElement Int(long value) => Parse($"{{\"i\":\"{value.ToString(CultureInfo.InvariantCulture)}\"}}");

    public static JsonElement Float(double value) => Parse($"{{\"f\":{value.ToString("R", CultureInfo.InvariantCulture)}}}");

    public static JsonElement Bool(bool value) => Parse(value ? "{\"b\":true}" : "{\"b\":false}");

    public static JsonElement Type(string dtype) => Parse($"{{\"type\":\"{dtype}\"}}");

    public static JsonElement Ints(params long[] values) =>
        Parse($"{{\"list\":{{\"i\":[{string.Join(",", values.Select(v => $"\"{v.ToString(CultureInfo.InvariantCulture)}\""))}]}}}}");

    public static JsonElement Shape(long[] dims) =>
        Parse($"{{\"shape\":{{\"dim\":[{string.Join(",", dims.Select(d => $"{{\"size\":\"{d.ToString(CultureInfo.InvariantCulture)}\"}}"))}]}}}}");

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
