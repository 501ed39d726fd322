using System.Net;
using System.Net.Sockets;

namespace ModelZoo.Tests.Infrastructure;

/// <summary>
/// A loopback HTTP server that serves files from a folder by their file name (the last path segment of the
/// request), standing in for a public download host. Counts requests so tests can prove what was fetched.
/// </summary>
public sealed class LocalFileServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _folder;
    private readonly CancellationTokenSource _stop = new();
    private int _requests;

    public LocalFileServer(string folder)
    {
        _folder = folder;
        var port = FreePort();
        BaseUri = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseUri.ToString());
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public Uri BaseUri { get; }

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>A handler that sends every request to this server, keeping the path, as if DNS pointed the public host here.</summary>
    public HttpMessageHandler RedirectingHandler() => new Redirect(BaseUri);

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            Interlocked.Increment(ref _requests);
            var name = Path.GetFileName(context.Request.Url!.AbsolutePath);
            var path = Path.Combine(_folder, name);
            try
            {
                if (name.Length == 0 || !File.Exists(path))
                {
                    context.Response.StatusCode = 404;
                }
                else
                {
                    var bytes = await File.ReadAllBytesAsync(path).ConfigureAwait(false);
                    context.Response.ContentLength64 = bytes.Length;
                    await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
                }
            }
            finally
            {
                context.Response.Close();
            }
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
    }

    private sealed class Redirect(Uri target) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var builder = new UriBuilder(request.RequestUri!) { Scheme = target.Scheme, Host = target.Host, Port = target.Port };
            request.RequestUri = builder.Uri;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
