using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelZoo.Batch;

/// <summary>The body of one work message: the job, the model and task to run, and the images (one or a small group).</summary>
/// <param name="Job">The job name.</param>
/// <param name="Model">The catalog handle of the model.</param>
/// <param name="Task">embed, classify or detect.</param>
/// <param name="Items">The images.</param>
public sealed record BatchMessage(
    [property: JsonPropertyName("job")] string Job,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("task")] string Task,
    [property: JsonPropertyName("items")] IReadOnlyList<BatchItem> Items)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The message as UTF-8 JSON.</summary>
    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>Reads a message body.</summary>
    /// <exception cref="BatchException"><c>batch-message-invalid</c> when the body is not a work message.</exception>
    public static BatchMessage Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            var message = JsonSerializer.Deserialize<BatchMessage>(body, Json);
            if (message is { Job: not null, Model: not null, Task: not null, Items: { Count: > 0 } items }
                && items.All(i => i is { Path: not null, Sha256: not null }))
            {
                return message;
            }
        }
        catch (JsonException)
        {
            // Reported below, with what to do.
        }
        throw new BatchException(ZooErrors.BatchMessageInvalid, "the message is not a zoo batch work message; only `zoo batch submit` should publish to this queue.");
    }
}
