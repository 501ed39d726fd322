using System.Text.Json;
using System.Text.Json.Serialization;
using ModelZoo.Tasks;

namespace ModelZoo.Server.Adapters;

/// <summary>
/// Writes the native responses of the vision and text tasks through <see cref="ResultJson"/>, the writer the CLI's
/// <c>--json</c> output uses, so a script can move between <c>zoo detect --json</c> and the server without changes.
/// One converter per result record.
/// </summary>
internal static class NativeJson
{
    /// <summary>A converter that only writes: results are responses, never read back by the server.</summary>
    public abstract class WriteOnly<T> : JsonConverter<T>
    {
        public sealed override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException($"{typeof(T).Name} is a response shape; the server does not read it.");

        public sealed override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            WriteBody(writer, value);
            writer.WriteEndObject();
        }

        protected abstract void WriteBody(Utf8JsonWriter writer, T value);
    }

    public sealed class Detections : WriteOnly<DetectionResult>
    {
        protected override void WriteBody(Utf8JsonWriter writer, DetectionResult value) => ResultJson.WriteDetections(writer, value.Detections);
    }

    public sealed class Poses : WriteOnly<PoseResult>
    {
        protected override void WriteBody(Utf8JsonWriter writer, PoseResult value) => ResultJson.WritePoses(writer, value.Poses);
    }

    public sealed class Faces : WriteOnly<FaceResult>
    {
        protected override void WriteBody(Utf8JsonWriter writer, FaceResult value) => ResultJson.WriteFaces(writer, value.Faces);
    }

    public sealed class Masks : WriteOnly<SegmentationResult>
    {
        protected override void WriteBody(Utf8JsonWriter writer, SegmentationResult value)
        {
            writer.WriteStartArray("masks");
            foreach (var mask in value.Masks)
            {
                writer.WriteStartObject();
                writer.WriteString("label", mask.Label);
                writer.WriteNumber("coverage", Math.Round(mask.Coverage, 4));
                writer.WriteNumber("width", mask.Width);
                writer.WriteNumber("height", mask.Height);
                writer.WriteBase64String("png", mask.EncodePng());
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
    }

    public sealed class Lines : WriteOnly<TextSpottingResult>
    {
        protected override void WriteBody(Utf8JsonWriter writer, TextSpottingResult value) => ResultJson.WriteLines(writer, value.Lines);
    }
}
