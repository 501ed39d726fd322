namespace ModelZoo.Server.Hosting;

/// <summary>
/// A request the server will not or cannot carry out, with the HTTP status the native API answers and a
/// stable <see cref="ZooException.Code"/> (<c>queue-full</c>, <c>shutting-down</c>, <c>model-not-servable</c> …).
/// </summary>
public sealed class ServeException : ZooException
{
    /// <summary>Creates the error; <paramref name="message"/> ends with what the client should do.</summary>
    public ServeException(int statusCode, string code, string message, TimeSpan? retryAfter = null, Exception? inner = null)
        : base(code, message, inner)
    {
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>HTTP status of the native API's answer.</summary>
    public int StatusCode { get; }

    /// <summary>When set, the answer carries a <c>Retry-After</c> header.</summary>
    public TimeSpan? RetryAfter { get; }

    internal static ServeException QueueFull(string handle, int capacity) => new(429, "queue-full",
        $"'{handle}' already has {capacity} requests waiting; retry after the Retry-After delay or raise ZooServerOptions.QueueCapacity.", TimeSpan.FromSeconds(1));

    internal static ServeException ShuttingDown(string handle) => new(503, "shutting-down",
        $"'{handle}' is being unloaded or the server is stopping; retry the request.", TimeSpan.FromSeconds(1));

    internal static ServeException NotAllowed(string handle, IEnumerable<string> allowed) => new(403, "model-not-allowed",
        $"'{handle}' is not one of the models this server serves ({string.Join(", ", allowed.Order(StringComparer.Ordinal))}); " +
        "use one of those, or ask the operator to add it to ZooServerOptions.Models or to set ZooServerOptions.AllowPull.");
}
