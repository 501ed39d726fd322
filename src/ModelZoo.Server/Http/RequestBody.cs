using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace ModelZoo.Server.Http;

/// <summary>Reads request bodies under the server's size limit: raw bytes, or the first file of a multipart form.</summary>
internal static class RequestBody
{
    /// <summary>The whole body, at most <paramref name="limit"/> bytes, read within <paramref name="timeout"/>.</summary>
    /// <exception cref="ServeException">413 when the body is larger than the limit; 408 when it stalls (slower than
    /// Kestrel's minimum data rate) or does not arrive within <paramref name="timeout"/>; 400 when its framing is broken.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled (the client went away).</exception>
    public static async Task<byte[]> ReadAsync(HttpRequest request, long limit, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            return await ReadWithinAsync(request, limit, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            throw BodyTimeout($"did not arrive within {timeout.TotalMilliseconds:0} ms");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            throw BodyTimeout("arrived slower than the server's minimum data rate");
        }
        catch (IOException ex) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException("the client closed the connection while sending the body.", ex, ct);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode != StatusCodes.Status413PayloadTooLarge)
        {
            throw new ServeException(ZooErrors.BadBody,
                $"the request body could not be read ({ex.Message.TrimEnd('.')}); resend the request with a well-formed body.",
                statusCode: ex.StatusCode is >= 400 and < 500 ? ex.StatusCode : null);
        }
    }

    /// <summary>The error for a body that stalled.</summary>
    public static ServeException BodyTimeout(string how) => new(ZooErrors.BodyTimeout,
        $"the request body {how}; send the whole body promptly (check the client's network and upload speed).");

    private static async Task<byte[]> ReadWithinAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        Limit(request, limit);
        try
        {
            if (IsMultipart(request))
            {
                return await ReadFileAsync(request, limit, ct).ConfigureAwait(false);
            }
            using var buffer = new MemoryStream(request.ContentLength is > 0 and var length ? (int)Math.Min(length, limit) : 64 * 1024);
            var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                int read;
                while ((read = await request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + read > limit)
                    {
                        throw TooLarge(limit);
                    }
                    buffer.Write(chunk, 0, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
            return buffer.ToArray();
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(limit);
        }
        catch (Exception ex) when ((ex is InvalidDataException || (ex is IOException and not BadHttpRequestException && !ct.IsCancellationRequested)) && IsMultipart(request))
        {
            throw new ServeException(ZooErrors.BadForm, $"the multipart form could not be read ({ex.Message}); send one image in a 'file' field.");
        }
    }

    public static ServeException TooLarge(long limit) => new(ZooErrors.BodyTooLarge,
        $"the request body is larger than the server's limit of {limit / 1024} KiB; send a smaller image.");

    private static void Limit(HttpRequest request, long limit)
    {
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }
        var feature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            // Multipart framing adds a little on top of the file itself.
            feature.MaxRequestBodySize = limit + 16 * 1024;
        }
    }

    private static bool IsMultipart(HttpRequest request) =>
        request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true;

    private static async Task<byte[]> ReadFileAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        var form = await request.ReadFormAsync(ct).ConfigureAwait(false);
        var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault()
            ?? throw new ServeException(ZooErrors.NoFile, "the multipart form holds no file; send the image in a field named 'file'.");
        if (file.Length > limit)
        {
            throw TooLarge(limit);
        }
        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, ct).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
