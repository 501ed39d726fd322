using System.Text.Json;
using System.Text.Json.Serialization;
using ModelZoo.Tasks;
using ModelZoo.Tasks.Ocr;

namespace ModelZoo.Server.Adapters;

/// <summary>
/// Writes the native responses of the vision and text tasks in the same shapes and roundings as the CLI's
/// <c>--json</c> output (boxes <c>{x,y,width,height}</c> in pixels to 2 decimals, scores to 4), so a script can move
/// between <c>zoo detect --json</c> and the server without changes. One converter per result record.
/// </summary>
internal static class NativeJson
{
    public static double Score(float score) => Math.Round(score, 4);

    public static double Coordinate(float value) => Math.Round(value, 2);

    public static void WriteBox(Utf8JsonWriter writer, BoundingBox box, string name = "box")
    {
        writer.WriteStartObject(name);
        writer.WriteNumber("x", Coordinate(box.X));
        writer.WriteNumber("y", Coordinate(box.Y));
        writer.WriteNumber("width", Coordinate(box.Width));
        writer.WriteNumber("height", Coordinate(box.Height));
        writer.WriteEndObject();
    }

    public static void WritePolygon(Utf8JsonWriter writer, IReadOnlyList<TextPoint> polygon)
    {
        writer.WriteStartArray("polygon");
        foreach (var p in polygon)
        {
            writer.WriteStartArray();
            writer.WriteNumberValue(Math.Round(p.X, 1));
            writer.WriteNumberValue(Math.Round(p.Y, 1));
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
    }

    /// <summary>A converter that only writes: results are responses, never read back by the server.</summary>
    public abstract class WriteOnly<T> : JsonConverter<T>
    {
        public sealed override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException($"{typeof(T).Name} is a response shape; the server does not read it.");
    }

    public sealed class Detections : WriteOnly<DetectionResult>
    {
        public override void Write(Utf8JsonWriter writer, DetectionResult value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("detections");
            foreach (var d in value.Detections)
            {
                writer.WriteStartObject();
                writer.WriteString("label", d.Label);
                writer.WriteNumber("score", Score(d.Score));
                WriteBox(writer, d.Box);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
    }

    public sealed class Poses : WriteOnly<PoseResult>
    {
        public override void Write(Utf8JsonWriter writer, PoseResult value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("poses");
            foreach (var pose in value.Poses)
            {
                writer.WriteStartObject();
                writer.WriteNumber("score", Score(pose.Score));
                if (pose.Box is { } box)
                {
                    WriteBox(writer, box);
                }
                writer.WriteStartArray("keypoints");
                foreach (var k in pose.Keypoints)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", k.Name);
                    writer.WriteNumber("x", Coordinate(k.X));
                    writer.WriteNumber("y", Coordinate(k.Y));
                    writer.WriteNumber("score", Score(k.Score));
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
    }

    public sealed class Faces : WriteOnly<FaceResult>
    {
        public override void Write(Utf8JsonWriter writer, FaceResult value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("faces");
            foreach (var face in value.Faces)
            {
                WriteFace(writer, face);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        private static void WriteFace(Utf8JsonWriter writer, Face face)
        {
            writer.WriteStartObject();
            writer.WriteNumber("score", Score(face.Score));
            WriteBox(writer, face.Box);
            writer.WriteStartArray("landmarks");
            foreach (var l in face.Landmarks)
            {
                writer.WriteStartObject();
                writer.WriteString("name", l.Name);
                writer.WriteNumber("x", Coordinate(l.X));
                writer.WriteNumber("y", Coordinate(l.Y));
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            if (face.Age is float age)
            {
                writer.WriteNumber("age", Math.Round(age, 1));
            }
            if (face.Gender is not null)
            {
                writer.WriteString("gender", face.Gender);
                if (face.GenderScore is float g)
                {
                    writer.WriteNumber("genderScore", Score(g));
                }
            }
            if (face.Emotion is not null)
            {
                writer.WriteString("emotion", face.Emotion);
                if (face.EmotionScores is { } scores)
                {
                    writer.WriteStartObject("emotionScores");
                    foreach (var (name, score) in scores)
                    {
                        writer.WriteNumber(name, Score(score));
                    }
                    writer.WriteEndObject();
                }
            }
            writer.WriteEndObject();
        }
    }

    public sealed class Masks : WriteOnly<SegmentationResult>
    {
        public override void Write(Utf8JsonWriter writer, SegmentationResult value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
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
            writer.WriteEndObject();
        }
    }

    public sealed class Lines : WriteOnly<TextSpottingResult>
    {
        public override void Write(Utf8JsonWriter writer, TextSpottingResult value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("lines");
            foreach (var line in value.Lines)
            {
                writer.WriteStartObject();
                writer.WriteString("text", line.Text);
                writer.WriteNumber("confidence", Math.Round(line.Confidence, 4));
                WritePolygon(writer, line.Polygon);
                writer.WriteStartArray("words");
                foreach (var word in line.Words)
                {
                    writer.WriteStartObject();
                    writer.WriteString("text", word.Text);
                    if (word.Confidence is float confidence)
                    {
                        writer.WriteNumber("confidence", Math.Round(confidence, 4));
                    }
                    if (word.Polygon is { } polygon)
                    {
                        WritePolygon(writer, polygon);
                    }
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
    }
}
