using System.Net.Sockets;
using System.Text;

namespace ModelZoo.Server.Tests.Infrastructure;

/// <summary>HTTP/1.1 over a bare socket, for requests no well-behaved client sends: a body that stalls part-way.</summary>
public static class RawHttp
{
    public sealed record Response(int Status, string Head, string Body);

    /// <summary>
    /// Sends the request line and headers announcing <paramref name="declaredLength"/> body bytes, then only
    /// <paramref name="sent"/>, trickled a byte every <paramref name="trickle"/> (or not at all), and reads the answer.
    /// </summary>
    public static async Task<Response> SendStalledAsync(Uri server, string path, IReadOnlyDictionary<string, string> headers, byte[] sent,
        int declaredLength, TimeSpan? trickle = null, TimeSpan? timeout = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        var head = new StringBuilder($"POST {path} HTTP/1.1\r\nHost: {server.Host}:{server.Port}\r\nContent-Length: {declaredLength}\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        using var stop = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(1));
        var reading = ReadAllAsync(stream, stop.Token);
        try
        {
            foreach (var b in sent)
            {
                if (reading.IsCompleted)
                {
                    break;
                }
                await stream.WriteAsync(new[] { b }, stop.Token);
                if (trickle is { } delay)
                {
                    await Task.Delay(delay, stop.Token);
                }
            }
        }
        catch (IOException)
        {
            // The server closed the connection on the stalled body; its answer is already read.
        }
        var text = await reading;
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(split > 0, $"no HTTP answer came back: '{text}'");
        var status = int.Parse(text.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        return new Response(status, text[..split], text[(split + 4)..]);
    }

    private static async Task<string> ReadAllAsync(NetworkStream stream, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, ct)) > 0)
            {
                buffer.Write(chunk, 0, read);
                var text = Encoding.UTF8.GetString(buffer.ToArray());
                if (Complete(text))
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // Connection reset or the test's own timeout: return what arrived.
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Whether the headers and a Content-Length body (or a final chunk) have arrived.</summary>
    private static bool Complete(string text)
    {
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0)
        {
            return false;
        }
        var head = text[..split];
        var lengthLine = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        if (lengthLine is not null)
        {
            return Encoding.UTF8.GetByteCount(text[(split + 4)..]) >= int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        return text.EndsWith("0\r\n\r\n", StringComparison.Ordinal);
    }
}
