using System.Text;
using System.Text.Json;

namespace ModelZoo.Batch;

/// <summary>
/// One worker's results: a JSON-lines file, one line per image (<c>{"path","sha256","model","task","worker","result"}</c>),
/// appended and made durable with <see cref="Commit"/> (flushed to the disk, not only to the OS) before the messages
/// they answer are acknowledged. A line torn by a killed process is closed off when the file is opened again, and
/// readers skip it.
/// </summary>
public sealed class BatchResultLog : IDisposable
{
    private readonly FileStream _file;
    private readonly string _path;

    private BatchResultLog(FileStream file, string path)
    {
        _file = file;
        _path = path;
    }

    /// <summary>Opens (or creates) a results file for appending.</summary>
    /// <exception cref="BatchException"><c>batch-output-failed</c> when the file cannot be opened.</exception>
    public static BatchResultLog Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            if (file.Length > 0)
            {
                file.Seek(-1, SeekOrigin.End);
                var last = file.ReadByte();
                file.Seek(0, SeekOrigin.End);
                if (last != '\n')
                {
                    file.WriteByte((byte)'\n');
                }
            }
            return new BatchResultLog(file, path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failed(path, ex);
        }
    }

    /// <summary>Appends one image's result (not yet durable).</summary>
    /// <exception cref="BatchException"><c>batch-output-failed</c> when the write fails (a full disk, say).</exception>
    public void Append(BatchItem item, string model, string task, string worker, string resultJson)
    {
        ArgumentNullException.ThrowIfNull(item);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("path", item.Path);
            writer.WriteString("sha256", item.Sha256);
            writer.WriteString("model", model);
            writer.WriteString("task", task);
            writer.WriteString("worker", worker);
            writer.WritePropertyName("result");
            writer.WriteRawValue(resultJson, skipInputValidation: true);
            writer.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        try
        {
            _file.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (IOException ex)
        {
            throw Failed(_path, ex);
        }
    }

    /// <summary>Makes everything appended so far durable.</summary>
    /// <exception cref="BatchException"><c>batch-output-failed</c> when the flush fails.</exception>
    public void Commit()
    {
        try
        {
            _file.Flush(flushToDisk: true);
        }
        catch (IOException ex)
        {
            throw Failed(_path, ex);
        }
    }

    /// <summary>The results in a file, skipping lines that are not complete records (a torn last line).</summary>
    public static IEnumerable<JsonElement> Read(string path)
    {
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite), Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            JsonElement record;
            try
            {
                using var json = JsonDocument.Parse(line);
                record = json.RootElement.Clone();
            }
            catch (JsonException)
            {
                continue;
            }
            if (record.ValueKind == JsonValueKind.Object && record.TryGetProperty("path", out _) && record.TryGetProperty("sha256", out _)
                && record.TryGetProperty("result", out _))
            {
                yield return record;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();

    private static BatchException Failed(string path, Exception ex) => new(ZooErrors.BatchOutputFailed,
        $"cannot write results to '{path}' ({ex.Message.TrimEnd('.')}); free disk space or pick another BatchWorkerOptions.OutputFolder, then run the worker again (unacknowledged work is redelivered).", ex);
}
