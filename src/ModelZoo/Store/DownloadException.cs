using System.Net;

namespace ModelZoo.Store;

/// <summary>A download failed: the server answered with an error status, or the connection kept failing.</summary>
public sealed class DownloadException : ZooException
{
    /// <summary>Creates the error; <paramref name="whatToDo"/> completes the message with the fix.</summary>
    public DownloadException(string message, string whatToDo, Uri? url = null, HttpStatusCode? status = null, Exception? inner = null)
        : base(ZooErrors.DownloadFailed, $"{message}; {whatToDo}", inner)
    {
        Url = url;
        StatusCode = status;
    }

    /// <summary>The URL that failed, when there was one.</summary>
    public Uri? Url { get; }

    /// <summary>The HTTP status the server answered, when it answered.</summary>
    public HttpStatusCode? StatusCode { get; }
}
