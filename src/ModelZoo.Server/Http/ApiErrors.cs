namespace ModelZoo.Server.Http;

/// <summary>The native API's error body, <c>{"error":{"code","message"}}</c>, and how library errors map to HTTP statuses.</summary>
internal static class ApiErrors
{
    /// <summary>The JSON Schema of the error body, for the OpenAPI document.</summary>
    public static JsonObject JsonSchema() => ResultSchema.Object("An error.",
        ResultSchema.Required("error", ResultSchema.Object("What went wrong.",
            ResultSchema.Required("code", ResultSchema.String("A stable code, e.g. 'model-not-found'.")),
            ResultSchema.Required("message", ResultSchema.String("What went wrong and what to do next.")))));

    public static IResult Result(ZooError error, string message) =>
        new ErrorResult(error.HttpStatus ?? 500, error.Code, message, null);

    /// <summary>The status and stable code a library or server error answers with.</summary>
    public static (int Status, string Code) Classify(Exception ex) => ex switch
    {
        ServeException serve => (serve.StatusCode, serve.Code),
        ModelNotFoundException notFound => (404, notFound.Code),
        ImageDecodeException decode => (400, decode.Code),
        ZooUsageException usage => (400, usage.Code),
        ZooException zoo => (500, zoo.Code),
        _ => (ZooErrors.Internal.HttpStatus ?? 500, ZooErrors.Internal.Code),
    };

    public static IResult FromException(Exception ex)
    {
        var (status, code) = Classify(ex);
        var message = status == 500 && ex is not ZooException
            ? $"the server failed unexpectedly ({ex.GetType().Name}); check the server log and report it if it persists."
            : ex.Message;
        return new ErrorResult(status, code, message, (ex as ServeException)?.RetryAfter);
    }

    private sealed class ErrorResult(int status, string code, string message, TimeSpan? retryAfter) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => status;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            if (retryAfter is { } delay)
            {
                httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            await httpContext.Response.WriteAsJsonAsync(new { error = new { code, message } }).ConfigureAwait(false);
        }
    }
}
