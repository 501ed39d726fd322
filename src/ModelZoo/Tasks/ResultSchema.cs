
namespace ModelZoo.Tasks;

/// <summary>
/// Builds JSON Schemas (draft 2020-12, the dialect OpenAPI 3.1 uses) of the objects <see cref="ResultJson"/> and the
/// task descriptors write, so a host can publish what each task answers. Objects are closed
/// (<c>additionalProperties: false</c>): a property a writer adds without its schema fails the schema tests. Every
/// call returns a new node, since a JSON node belongs to one parent.
/// </summary>
public static class ResultSchema
{
    /// <summary>A closed object with <paramref name="properties"/>; those not marked optional are required.</summary>
    public static JsonObject Object(string description, params IReadOnlyList<ResultSchemaProperty> properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        var props = new JsonObject();
        var required = new JsonArray();
        foreach (var p in properties)
        {
            props[p.Name] = p.Schema;
            if (!p.Optional)
            {
                required.Add(p.Name);
            }
        }
        var schema = new JsonObject { ["type"] = "object", ["description"] = description, ["properties"] = props };
        if (required.Count > 0)
        {
            schema["required"] = required;
        }
        schema["additionalProperties"] = false;
        return schema;
    }

    /// <summary>A required property.</summary>
    public static ResultSchemaProperty Required(string name, JsonObject schema) => new(name, schema, Optional: false);

    /// <summary>A property written only in some results.</summary>
    public static ResultSchemaProperty Optional(string name, JsonObject schema) => new(name, schema, Optional: true);

    /// <summary>An array of <paramref name="items"/>.</summary>
    public static JsonObject ArrayOf(JsonObject items, string description) =>
        new() { ["type"] = "array", ["description"] = description, ["items"] = items };

    /// <summary>A number.</summary>
    public static JsonObject Number(string description) => Typed("number", description);

    /// <summary>A whole number.</summary>
    public static JsonObject Integer(string description) => Typed("integer", description);

    /// <summary>A string.</summary>
    public static JsonObject String(string description) => Typed("string", description);

    /// <summary>A boolean.</summary>
    public static JsonObject Boolean(string description) => Typed("boolean", description);

    /// <summary><paramref name="schema"/>, or JSON <c>null</c>.</summary>
    public static JsonObject OrNull(JsonObject schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        schema["type"] = new JsonArray(schema["type"]?.GetValue<string>(), "null");
        return schema;
    }

    /// <summary>A base64 PNG image.</summary>
    public static JsonObject Png(string description)
    {
        var schema = Typed("string", description);
        schema["contentEncoding"] = "base64";
        schema["contentMediaType"] = "image/png";
        return schema;
    }

    /// <summary>A score from 0 to 1, as <see cref="ResultJson.Score"/> writes it.</summary>
    public static JsonObject Score(string description)
    {
        var schema = Number(description);
        schema["minimum"] = 0;
        schema["maximum"] = 1;
        return schema;
    }

    /// <summary>A vector of numbers.</summary>
    public static JsonObject Vector(string description) => ArrayOf(Number("One component."), description);

    /// <summary><c>{"x", "y", "width", "height"}</c> in the pixels of the image as sent, as <see cref="ResultJson.WriteBox"/> writes it.</summary>
    public static JsonObject Box() => Object("An axis-aligned box in the pixels of the image as sent.",
        Required("x", Number("Left edge.")), Required("y", Number("Top edge.")),
        Required("width", Number("Width.")), Required("height", Number("Height.")));

    /// <summary>What <see cref="ResultJson.WriteDetections"/> writes.</summary>
    public static ResultSchemaProperty Detections() => Required("detections", ArrayOf(Object("One detected object.",
        Required("label", String("The class name.")),
        Required("score", Score("Confidence.")),
        Required("box", Box())), "Objects found, best first."));

    /// <summary>What <see cref="ResultJson.WriteFaces"/> writes.</summary>
    public static ResultSchemaProperty Faces() => Required("faces", ArrayOf(Object("One face.",
        Required("score", Score("Detection confidence.")),
        Required("box", Box()),
        Required("landmarks", ArrayOf(Point("A named facial landmark."), "Facial landmarks (eyes, nose, mouth, ears) the detector gives; empty when it gives none.")),
        Optional("age", Number("Estimated age in years, with an age model.")),
        Optional("gender", String("Estimated gender, with a gender model.")),
        Optional("genderScore", Score("Confidence of the gender.")),
        Optional("emotion", String("The likeliest expression, with an emotion model.")),
        Optional("emotionScores", new JsonObject
        {
            ["type"] = "object",
            ["description"] = "Probability of each expression the emotion model knows, by name.",
            ["additionalProperties"] = Score("Probability."),
        })), "Faces found, best first."));

    /// <summary>What <see cref="ResultJson.WriteLines"/> writes.</summary>
    public static ResultSchemaProperty Lines() => Required("lines", ArrayOf(Object("One line of text.",
        Required("text", String("The text read.")),
        Required("confidence", Score("Recognition confidence.")),
        Required("polygon", Polygon()),
        Required("words", ArrayOf(Object("One word of the line.",
            Required("text", String("The word.")),
            Optional("confidence", Score("Recognition confidence.")),
            Optional("polygon", Polygon())), "The line's words, in reading order."))), "Lines of text, in reading order."));

    /// <summary><c>{"name", "x", "y"}</c>, with <c>"score"</c> when <paramref name="scored"/>.</summary>
    public static JsonObject Point(string description, bool scored = false)
    {
        List<ResultSchemaProperty> properties = [Required("name", String("The point's name.")), Required("x", Number("X in pixels.")), Required("y", Number("Y in pixels."))];
        if (scored)
        {
            properties.Add(Required("score", Score("Confidence.")));
        }
        return Object(description, properties);
    }

    private static JsonObject Polygon()
    {
        var pair = ArrayOf(Number("A coordinate in pixels."), "A corner as [x, y].");
        pair["minItems"] = 2;
        pair["maxItems"] = 2;
        return ArrayOf(pair, "The outline's corners in pixels.");
    }

    private static JsonObject Typed(string type, string description) => new() { ["type"] = type, ["description"] = description };
}
