using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace ModelZoo.Server.Web;

/// <summary>The single-file web page at <c>GET /</c> (HTML, CSS and JavaScript embedded in this assembly; no external resources).</summary>
internal static class WebPage
{
    private static readonly Lazy<byte[]> Html = new(() =>
    {
        using var stream = typeof(WebPage).Assembly.GetManifestResourceStream("ModelZoo.Server.Web.index.html")
            ?? throw new InvalidOperationException("the web page resource is missing from the assembly; rebuild ModelZoo.Server.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers["Content-Security-Policy"] =
                "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'";
            return Results.Bytes(Html.Value, "text/html; charset=utf-8");
        }).WithMetadata(new ZooRouteAttribute("web")).ExcludeFromDescription();
    }
}
