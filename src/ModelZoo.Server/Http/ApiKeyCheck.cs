using System.Security.Cryptography;
using System.Text;

namespace ModelZoo.Server.Http;

/// <summary>Checks the configured API key: <c>Authorization: Bearer KEY</c>, <c>X-Api-Key</c>, or (for Vision clients) <c>X-Goog-Api-Key</c> / <c>?key=</c>.</summary>
internal static class ApiKeyCheck
{
    public static bool IsAuthorized(HttpRequest request, string? apiKey, bool allowGoogleForms = false)
    {
        if (string.IsNullOrEmpty(apiKey))
        {
            return true;
        }
        var candidates = new List<string?>();
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            candidates.Add(authorization["Bearer ".Length..].Trim());
        }
        candidates.Add(request.Headers["X-Api-Key"].ToString());
        if (allowGoogleForms)
        {
            candidates.Add(request.Headers["X-Goog-Api-Key"].ToString());
            candidates.Add(request.Query["key"].ToString());
        }
        var expected = Encoding.UTF8.GetBytes(apiKey);
        return candidates.Any(c => !string.IsNullOrEmpty(c) && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(c), expected));
    }
}
