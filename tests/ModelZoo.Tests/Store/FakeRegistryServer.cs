using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace ModelZoo.Tests.Store;

/// <summary>
/// A real HTTP server on 127.0.0.1 (HttpListener) that plays a NuGet v3 feed (service index, flat container,
/// registration and catalog leaves), an npm registry and plain file hosting, and records every request.
/// Files honour Range requests; one can be set to drop the connection after N bytes on its first request.
/// </summary>
internal sealed class FakeRegistryServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly ConcurrentDictionary<string, Route> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Task _loop;

    public FakeRegistryServer()
    {
        var random = new Random();
        while (true)
        {
            var port = random.Next(20000, 60000);
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
            }
            catch (HttpListenerException)
            {
                continue; // port taken: pick another
            }
            _listener = listener;
            BaseUrl = new Uri($"http://127.0.0.1:{port}/");
            break;
        }
        _loop = Task.Run(LoopAsync);
    }

    public Uri BaseUrl { get; }

    public Uri NuGetIndex => new(BaseUrl, "v3/index.json");

    public Uri NpmRegistry => new(BaseUrl, "npm/");

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public int CountRequests(string path) => _requests.Count(r => r.Path == path);

    /// <summary>Serves <paramref name="bytes"/> at <paramref name="path"/> (path without leading slash, as sent on the wire).</summary>
    public void AddFile(string path, byte[] bytes, long? dropAfterBytesOnFirstRequest = null, int failuresBeforeSuccess = 0) =>
        _routes[path] = new Route(bytes, "application/octet-stream", dropAfterBytesOnFirstRequest, failuresBeforeSuccess);

    public void AddJson(string path, string json) =>
        _routes[path] = new Route(Encoding.UTF8.GetBytes(json), "application/json", null, 0);

    /// <summary>A service index listing the flat container and, optionally, registrations.</summary>
    public void AddNuGetIndex(bool withRegistrations)
    {
        var registration = withRegistrations
            ? $$""", { "@id": "{{BaseUrl}}reg/", "@type": "RegistrationsBaseUrl/3.6.0" }"""
            : "";
        AddJson("v3/index.json", $$"""
            { "version": "3.0.0", "resources": [
              { "@id": "{{BaseUrl}}flat/", "@type": "PackageBaseAddress/3.0.0" }{{registration}} ] }
            """);
    }

    /// <summary>Publishes a .nupkg in the flat container, and its SHA-512 in a catalog leaf when given.</summary>
    public string AddNuGetPackage(string id, string version, byte[] nupkg, string? publishedSha512Base64 = null)
    {
        var lowerId = id.ToLowerInvariant();
        var lowerVersion = version.ToLowerInvariant();
        var path = $"flat/{lowerId}/{lowerVersion}/{lowerId}.{lowerVersion}.nupkg";
        AddFile(path, nupkg);
        if (publishedSha512Base64 is not null)
        {
            AddJson($"reg/{lowerId}/{lowerVersion}.json", $$"""
                { "@id": "{{BaseUrl}}reg/{{lowerId}}/{{lowerVersion}}.json", "catalogEntry": "{{BaseUrl}}catalog/{{lowerId}}.{{lowerVersion}}.json" }
                """);
            AddJson($"catalog/{lowerId}.{lowerVersion}.json", $$"""
                { "id": "{{id}}", "version": "{{version}}", "packageHash": "{{publishedSha512Base64}}", "packageHashAlgorithm": "SHA512" }
                """);
        }
        return path;
    }

    /// <summary>Publishes an npm package document and its tarball; returns the tarball's path.</summary>
    public string AddNpmPackage(string name, string version, byte[] tgz, string integrity)
    {
        var escaped = name.Replace("/", "%2f", StringComparison.Ordinal);
        var tarballPath = $"npm/{escaped}/-/{name.Split('/')[^1]}-{version}.tgz";
        AddFile(tarballPath, tgz);
        AddJson($"npm/{escaped}", $$"""
            { "name": "{{name}}", "dist-tags": { "latest": "{{version}}" },
              "versions": { "{{version}}": { "name": "{{name}}", "version": "{{version}}",
                "dist": { "tarball": "{{BaseUrl}}{{tarballPath}}", "integrity": "{{integrity}}" } } } }
            """);
        return tarballPath;
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        var raw = context.Request.RawUrl ?? "/";
        var path = raw.TrimStart('/');
        var range = context.Request.Headers["Range"];
        _requests.Enqueue(new RecordedRequest(path, range));
        var response = context.Response;
        try
        {
            if (!_routes.TryGetValue(path, out var route))
            {
                response.StatusCode = 404;
                response.Close();
                return;
            }
            var attempt = Interlocked.Increment(ref route.Served);
            if (attempt <= route.FailuresBeforeSuccess)
            {
                response.StatusCode = 503;
                response.Close();
                return;
            }
            var bytes = route.Bytes;
            long start = 0;
            if (range is not null && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
            {
                start = long.Parse(range["bytes=".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
                response.StatusCode = 206;
                response.AddHeader("Content-Range", $"bytes {start}-{bytes.Length - 1}/{bytes.Length}");
            }
            response.ContentType = route.ContentType;
            response.ContentLength64 = bytes.Length - start;
            if (route.DropAfter is { } drop && attempt == 1)
            {
                await response.OutputStream.WriteAsync(bytes.AsMemory(0, (int)drop));
                await response.OutputStream.FlushAsync();
                response.Abort(); // the client sees the connection close mid-body
                return;
            }
            await response.OutputStream.WriteAsync(bytes.AsMemory((int)start));
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // the client went away
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private sealed class Route(byte[] bytes, string contentType, long? dropAfter, int failuresBeforeSuccess)
    {
        public int Served;
        public byte[] Bytes { get; } = bytes;
        public string ContentType { get; } = contentType;
        public long? DropAfter { get; } = dropAfter;
        public int FailuresBeforeSuccess { get; } = failuresBeforeSuccess;
    }
}
