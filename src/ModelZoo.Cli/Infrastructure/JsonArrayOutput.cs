using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ModelZoo.Cli.Infrastructure;

/// <summary>The <c>--json</c> output of the commands that print an array of results: indented, one object per item,
/// written whole to the machine-readable output.</summary>
internal static class JsonArrayOutput
{
    /// <summary>Escaping that keeps accents and CJK readable, for output that holds the user's own text; it is a data
    /// file, never embedded in HTML.</summary>
    public static JavaScriptEncoder Readable => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>Writes the array; <paramref name="writeObject"/> writes an item's properties, <paramref name="encoder"/>
    /// is the escaping (null: the default, which escapes non-ASCII).</summary>
    public static void Write<T>(ZooContext context, IEnumerable<T> items, Action<Utf8JsonWriter, T> writeObject, JavaScriptEncoder? encoder = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(writeObject);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = encoder }))
        {
            writer.WriteStartArray();
            foreach (var item in items)
            {
                writer.WriteStartObject();
                writeObject(writer, item);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        context.Output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
        context.Output.Flush();
    }
}
