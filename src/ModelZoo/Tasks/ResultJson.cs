using ModelZoo.Tasks.Ocr;

namespace ModelZoo.Tasks;

/// <summary>
/// Writes task results as JSON in the one shape the CLI's <c>--json</c> output and the server's native responses
/// share: boxes <c>{x,y,width,height}</c> in original-image pixels to 2 decimals, scores to 4, polygons to 1.
/// Each <c>Write…</c> method writes one named array property into the object the caller has open.
/// </summary>
public static class ResultJson
{
    /// <summary>A score rounded to four decimals.</summary>
    public static double Score(float score) => Math.Round(score, 4);

    /// <summary>A pixel coordinate rounded to two decimals.</summary>
    public static double Coordinate(float value) => Math.Round(value, 2);

    /// <summary>One JSON object, UTF-8, whose properties <paramref name="properties"/> writes (a task's
    /// <c>WriteJson</c>): a server response or a batch result line.</summary>
    public static byte[] Object(Action<Utf8JsonWriter> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            properties(writer);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Writes <c>"box": {"x", "y", "width", "height"}</c>.</summary>
    public static void WriteBox(Utf8JsonWriter writer, BoundingBox box, string name = "box")
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject(name);
        writer.WriteNumber("x", Coordinate(box.X));
        writer.WriteNumber("y", Coordinate(box.Y));
        writer.WriteNumber("width", Coordinate(box.Width));
        writer.WriteNumber("height", Coordinate(box.Height));
        writer.WriteEndObject();
    }

    /// <summary>Writes <c>"polygon": [[x, y], …]</c>.</summary>
    public static void WritePolygon(Utf8JsonWriter writer, IReadOnlyList<TextPoint> polygon)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(polygon);
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

    /// <summary>Writes <c>"detections": [{"label", "score", "box"}]</c>.</summary>
    public static void WriteDetections(Utf8JsonWriter writer, IReadOnlyList<Detection> detections)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(detections);
        writer.WriteStartArray("detections");
        foreach (var d in detections)
        {
            writer.WriteStartObject();
            writer.WriteString("label", d.Label);
            writer.WriteNumber("score", Score(d.Score));
            WriteBox(writer, d.Box);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary>Writes <c>"faces": [{"score", "box", "landmarks", "age"?, "gender"?, "genderScore"?, "emotion"?, "emotionScores"?}]</c>.</summary>
    public static void WriteFaces(Utf8JsonWriter writer, IReadOnlyList<Face> faces)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(faces);
        writer.WriteStartArray("faces");
        foreach (var face in faces)
        {
            WriteFace(writer, face);
        }
        writer.WriteEndArray();
    }

    /// <summary>Writes <c>"lines": [{"text", "confidence", "polygon", "words": [{"text", "confidence"?, "polygon"?}]}]</c>.</summary>
    public static void WriteLines(Utf8JsonWriter writer, IReadOnlyList<TextLine> lines)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(lines);
        writer.WriteStartArray("lines");
        foreach (var line in lines)
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
                foreach (var (name, value) in scores)
                {
                    writer.WriteNumber(name, Score(value));
                }
                writer.WriteEndObject();
            }
        }
        writer.WriteEndObject();
    }
}
