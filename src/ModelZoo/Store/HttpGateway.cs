using System.Net;
using System.Net.Http.Headers;

namespace ModelZoo.Store;

/// <summary>
/// The library's single network chokepoint: it owns the <see cref="HttpClient"/>, refuses every request
/// when <see cref="ZooSettings.Offline"/> is set (before a connection is opened), retries transient
/// failures (5xx, 408, 429, timeouts, a connection dropped mid-stream) with exponential backoff, and
/// resumes partial downloads with HTTP Range. Client errors (404, 403, …) are not retried.
/// </summary>
internal sealed class HttpGateway : IDisposable
{
    private readonly ZooSettings _settings;
    private readonly HttpMessageHandler? _injected;
    private readonly Lock _gate = new();
    private HttpClient? _client;

    public HttpGateway(ZooSettings settings, HttpMessageHandler? handler)
    {
        _settings = settings;
        _injected = handler;
    }

    /// <summary>Tries per request (first try included).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Delay before the first retry; doubled for each further retry.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A response that sends no byte for this long counts as a transient timeout.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Throws <see cref="OfflineException"/> when connections are forbidden.</summary>
    public void EnsureOnline(string what)
    {
        if (_settings.Offline)
        {
            throw new OfflineException(what);
        }
    }

    /// <summary>GETs and parses a JSON document; <see cref="DownloadException"/> on any failure.</summary>
    public async Task<JsonDocument> GetJsonAsync(Uri url, string what, CancellationToken ct, string? accept = null) =>
        await TryGetJsonAsync(url, what, ct, accept).ConfigureAwait(false)
        ?? throw new DownloadException($"{what} was not found at {url} (HTTP 404)",
            "check the package name and version in the model card and that the registry URL is right", url, HttpStatusCode.NotFound);

    /// <summary>GETs and parses a JSON document, returning null when the server answers 404 or 410.</summary>
    public async Task<JsonDocument?> TryGetJsonAsync(Uri url, string what, CancellationToken ct, string? accept = null)
    {
        EnsureOnline(what);
        return await WithRetriesAsync(url, what, async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Accept", accept ?? "application/json");
            using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                return null;
            }
            ThrowForStatus(response, url, what);
            await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            try
            {
                return await JsonDocument.ParseAsync(body, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                throw new DownloadException($"{what} at {url} is not valid JSON ({e.Message})",
                    "check that the registry URL points at a NuGet v3 index or an npm registry", url, inner: e);
            }
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Downloads <paramref name="url"/> into <paramref name="partialPath"/>, resuming from the bytes already there
    /// (Range: bytes=N-; a 206 appends, a 200 restarts from zero). Returns when the body is complete.
    /// Before writing, the announced length plus <paramref name="reserveBytes"/> (what the caller will write next,
    /// e.g. the file it extracts from a package) must fit on the disk. A full disk is final: the partial file is
    /// deleted (it is what fills the disk) and the error says how much space is needed.
    /// </summary>
    public async Task DownloadAsync(Uri url, string partialPath, string what, long? expectedSize,
        Action<long, long?>? progress, CancellationToken ct, long reserveBytes = 0)
    {
        EnsureOnline(what);
        long needed = (expectedSize ?? 0) + reserveBytes;
        try
        {
            await DownloadWithRetriesAsync(url, partialPath, what, expectedSize, reserveBytes, total => needed = total, progress, ct).ConfigureAwait(false);
        }
        catch (IOException e) when (DiskSpace.IsDiskFull(e))
        {
            TryDelete(partialPath);
            throw DiskSpace.Full(_settings.Home, needed, what[..1].ToUpperInvariant() + what[1..], e);
        }
    }

    private async Task DownloadWithRetriesAsync(Uri url, string partialPath, string what, long? expectedSize, long reserveBytes,
        Action<long> needed, Action<long, long?>? progress, CancellationToken ct)
    {
        await WithRetriesAsync<bool>(url, what, async () =>
        {
            var existing = File.Exists(partialPath) ? new FileInfo(partialPath).Length : 0;
            if (expectedSize is { } size && existing > size)
            {
                File.Delete(partialPath);
                existing = 0;
            }
            else if (expectedSize is { } complete && existing == complete && complete > 0)
            {
                // Finished by an earlier run that stopped before moving it into place; the caller's hash check decides.
                progress?.Invoke(existing, complete);
                return true;
            }
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (existing > 0)
            {
                request.Headers.Range = new RangeHeaderValue(existing, null);
            }
            using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                // The partial file is as long as (or longer than) the resource: start over.
                File.Delete(partialPath);
                throw new TransientDownloadException("the server rejected the resume offset");
            }
            ThrowForStatus(response, url, what);
            var append = response.StatusCode == HttpStatusCode.PartialContent;
            if (append && response.Content.Headers.ContentRange?.From != existing)
            {
                File.Delete(partialPath);
                throw new TransientDownloadException("the server resumed at another offset than asked");
            }
            var done = append ? existing : 0;
            long? total = response.Content.Headers.ContentLength is { } length ? done + length : expectedSize;
            if (total is { } whole)
            {
                needed(whole + reserveBytes);
                DiskSpace.EnsureAvailable(_settings.Home, whole - done + reserveBytes, what[..1].ToUpperInvariant() + what[1..]);
            }
            progress?.Invoke(done, total);
            await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            await using var file = new FileStream(partialPath, append ? FileMode.Append : FileMode.Create,
                FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            var buffer = new byte[1 << 16];
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
                idle.CancelAfter(IdleTimeout);
                int read;
                try
                {
                    read = await body.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw new TransientDownloadException($"no data for {IdleTimeout.TotalSeconds:0} s");
                }
                if (read == 0)
                {
                    break;
                }
                await file.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                done += read;
                progress?.Invoke(done, total);
            }
            return true;
        }, ct).ConfigureAwait(false);
    }

    private async Task<T> WithRetriesAsync<T>(Uri url, string what, Func<Task<T>> attempt, CancellationToken ct)
    {
        for (var tryNumber = 1; ; tryNumber++)
        {
            Exception failure;
            try
            {
                return await attempt().ConfigureAwait(false);
            }
            catch (TransientDownloadException e)
            {
                failure = e;
            }
            catch (HttpRequestException e) when (e.StatusCode is null)
            {
                failure = e; // connection refused or reset, DNS failure
            }
            catch (IOException e) when (!DiskSpace.IsDiskFull(e))
            {
                failure = e; // connection dropped while reading the body
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                failure = e; // HttpClient timeout
            }
            if (tryNumber >= MaxAttempts)
            {
                throw new DownloadException($"Downloading {what} from {url} failed {tryNumber} times (last error: {failure.Message})",
                    "check your network connection or proxy and try again; partial data is kept and the next pull resumes it",
                    url, (failure as TransientDownloadException)?.Status, failure);
            }
            var delay = BaseDelay * Math.Pow(2, tryNumber - 1);
            await Task.Delay(delay, ct).ConfigureAwait(false);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // `zoo gc` removes it once no pull holds its lock.
        }
    }

    private static void ThrowForStatus(HttpResponseMessage response, Uri url, string what)
    {
        var status = response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var code = (int)status;
        if (code >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
        {
            throw new TransientDownloadException($"HTTP {code} {response.ReasonPhrase}", status);
        }
        var hint = status switch
        {
            HttpStatusCode.NotFound or HttpStatusCode.Gone =>
                "check the source URI in the model card (package name, version, path) and the registry URL",
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                "the server refused access: check the credentials or permissions your registry needs",
            _ => "check the source URI in the model card and the registry URL",
        };
        throw new DownloadException($"Downloading {what} from {url} failed with HTTP {code} {response.ReasonPhrase}", hint, url, status);
    }

    private HttpClient Client
    {
        get
        {
            lock (_gate)
            {
                return _client ??= _injected is not null
                    ? new HttpClient(_injected, disposeHandler: false) { Timeout = TimeSpan.FromMinutes(2) }
                    : new HttpClient(new SocketsHttpHandler
                    {
                        AutomaticDecompression = DecompressionMethods.All,
                        ConnectTimeout = TimeSpan.FromSeconds(30),
                    }) { Timeout = TimeSpan.FromMinutes(2), DefaultRequestHeaders = { { "User-Agent", "ModelZoo.NET" } } };
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _client?.Dispose();
            _client = null;
        }
    }

    private sealed class TransientDownloadException(string message, HttpStatusCode? status = null) : Exception(message)
    {
        public HttpStatusCode? Status { get; } = status;
    }
}
