namespace ModelZoo.Server.Cloud;

/// <summary>An error in the AWS JSON protocol's shape: <c>{"__type":"…Exception","message":"…"}</c> with an HTTP status.</summary>
/// <param name="Status">HTTP status.</param>
/// <param name="Type">Exception name, e.g. <c>InvalidImageFormatException</c>.</param>
/// <param name="Message">Human-readable message.</param>
internal sealed record AwsError(int Status, string Type, string Message) : IResult, IStatusCodeHttpResult
{
    int? IStatusCodeHttpResult.StatusCode => Status;

    /// <summary>Seconds to wait before retrying, sent as <c>Retry-After</c>.</summary>
    public int? RetryAfterSeconds { get; init; }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = Status;
        httpContext.Response.ContentType = RekognitionApi.ContentType;
        httpContext.Response.Headers["x-amzn-ErrorType"] = Type;
        if (RetryAfterSeconds is { } seconds)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["__type"] = Type, ["message"] = Message });
        await httpContext.Response.Body.WriteAsync(body).ConfigureAwait(false);
    }
}
