namespace ModelZoo.Server.Hosting;

/// <summary>
/// A request the server will not or cannot carry out: an entry of <see cref="ZooErrors"/>' server section
/// (<see cref="ZooErrors.QueueFull"/>, <see cref="ZooErrors.ShuttingDown"/> …) with the HTTP status the native API
/// answers.
/// </summary>
public sealed class ServeException : ZooException
{
    /// <summary>Creates the error; <paramref name="message"/> ends with what the client should do. The status is the
    /// entry's <see cref="ZooError.HttpStatus"/> unless <paramref name="statusCode"/> gives another.</summary>
    public ServeException(ZooError error, string message, TimeSpan? retryAfter = null, Exception? inner = null, int? statusCode = null)
        : base(error, message, inner)
    {
        StatusCode = statusCode ?? error.HttpStatus ?? 500;
        RetryAfter = retryAfter;
    }

    // A model that failed to load answers with the code of the error that stopped it.
    private ServeException(string code, string message, Exception inner)
        : base(code, message, inner)
    {
        StatusCode = ZooErrors.ModelLoadFailed.HttpStatus ?? 503;
        RetryAfter = TimeSpan.FromSeconds(5);
    }

    /// <summary>HTTP status of the native API's answer.</summary>
    public int StatusCode { get; }

    /// <summary>When set, the answer carries a <c>Retry-After</c> header.</summary>
    public TimeSpan? RetryAfter { get; }

    internal static ServeException QueueFull(string handle, int capacity) => new(ZooErrors.QueueFull,
        $"'{handle}' already has {capacity} requests waiting; retry after the Retry-After delay or raise ZooServerOptions.QueueCapacity.", TimeSpan.FromSeconds(1));

    internal static ServeException ShuttingDown(string handle) => new(ZooErrors.ShuttingDown,
        $"'{handle}' is being unloaded or the server is stopping; retry the request.", TimeSpan.FromSeconds(1));

    internal static ServeException NotAllowed(string handle, IEnumerable<string> allowed) => new(ZooErrors.ModelNotAllowed,
        $"'{handle}' is not one of the models this server serves ({string.Join(", ", allowed.Order(StringComparer.Ordinal))}); " +
        "use one of those, or ask the operator to add it to ZooServerOptions.Models or to set ZooServerOptions.AllowPull.");

    internal static ServeException LoadFailed(string handle, Exception ex)
    {
        var code = ex is ZooException zoo ? zoo.Code : ZooErrors.ModelLoadFailed.Code;
        var message = ex is ZooException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
        return new ServeException(code, $"'{handle}' could not be loaded: {message}", ex);
    }
}
