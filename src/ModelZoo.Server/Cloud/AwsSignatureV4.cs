using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace ModelZoo.Server.Cloud;

/// <summary>
/// Verifies AWS Signature Version 4 on a request (header form, <c>AWS4-HMAC-SHA256</c>), following the published
/// algorithm: canonical request → string to sign → HMAC-SHA256 key chain (date, region, service, <c>aws4_request</c>)
/// → hex signature, compared in constant time.
/// </summary>
internal static class AwsSignatureV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);

    /// <summary>Null when the request is signed with <paramref name="accessKey"/>/<paramref name="secretKey"/>, else the AWS error.</summary>
    public static AwsError? Verify(HttpRequest request, byte[] body, string accessKey, string secretKey, DateTimeOffset now)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(authorization))
        {
            return new AwsError(400, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return new AwsError(400, "IncompleteSignatureException", $"Authorization header must use {Algorithm}.");
        }
        var fields = ParseAuthorization(authorization[(Algorithm.Length + 1)..]);
        if (!fields.TryGetValue("Credential", out var credential) || !fields.TryGetValue("SignedHeaders", out var signedHeaders)
            || !fields.TryGetValue("Signature", out var signature))
        {
            return new AwsError(400, "IncompleteSignatureException", "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'.");
        }
        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return new AwsError(400, "IncompleteSignatureException", $"Credential '{credential}' is not of the form KEY/DATE/REGION/SERVICE/aws4_request.");
        }
        if (!string.Equals(scope[0], accessKey, StringComparison.Ordinal))
        {
            return new AwsError(400, "UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
        {
            return new AwsError(400, "IncompleteSignatureException", "The request must carry an X-Amz-Date header (yyyyMMddTHHmmssZ).");
        }
        if (scope[1] != amzDate[..8])
        {
            return new AwsError(400, "InvalidSignatureException", $"Credential date {scope[1]} does not match X-Amz-Date {amzDate}.");
        }
        if ((now - signedAt).Duration() > AllowedSkew)
        {
            return new AwsError(400, "InvalidSignatureException",
                $"Signature expired: {amzDate} is more than 15 minutes away from the server time {now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.");
        }
        var headerNames = signedHeaders.Split(';');
        if (UnsignedRequiredHeader(request, headerNames) is { } unsigned)
        {
            return new AwsError(400, "InvalidSignatureException",
                $"'{unsigned}' must be a signed header (SignedHeaders: {signedHeaders}); sign the request with an AWS SDK or CLI.");
        }
        var canonical = CanonicalRequest(request, headerNames, body);
        var stringToSign = string.Join('\n', Algorithm, amzDate, string.Join('/', scope[1..]), Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))));
        var key = SigningKey(secretKey, scope[1], scope[2], scope[3]);
        var expected = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature.ToLowerInvariant())))
        {
            return new AwsError(400, "InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
        }
        return null;
    }

    /// <summary>
    /// Headers whose value decides what the request does, so a signature that leaves one out could be replayed with
    /// another value (a signed DetectLabels sent again as DetectText): the host, the date, the operation
    /// (<c>X-Amz-Target</c>) and the body's content type, each when the request carries it.
    /// </summary>
    private static readonly string[] RequiredSignedHeaders = ["host", "x-amz-date", "x-amz-target", "content-type"];

    /// <summary>The first header the request carries that must be signed but is not listed in <paramref name="signed"/>.</summary>
    private static string? UnsignedRequiredHeader(HttpRequest request, string[] signed)
    {
        foreach (var name in RequiredSignedHeaders)
        {
            var present = name == "host" || request.Headers.ContainsKey(name);
            if (present && !signed.Contains(name, StringComparer.Ordinal))
            {
                return name;
            }
        }
        return null;
    }

    /// <summary>The canonical request: method, URI, query, headers, signed header list and payload hash, one per line.</summary>
    internal static string CanonicalRequest(HttpRequest request, IReadOnlyList<string> signedHeaders, byte[] body)
    {
        var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (request.PathBase + request.Path + request.QueryString).ToString();
        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = question < 0 ? rawTarget : rawTarget[..question];
        var rawQuery = question < 0 ? "" : rawTarget[(question + 1)..];
        var text = new StringBuilder();
        text.Append(request.Method.ToUpperInvariant()).Append('\n');
        text.Append(CanonicalPath(rawPath)).Append('\n');
        text.Append(CanonicalQuery(rawQuery)).Append('\n');
        foreach (var name in signedHeaders)
        {
            var values = name == "host" && request.Headers.Host.Count == 0 ? [request.Host.Value] : request.Headers[name].ToArray();
            text.Append(name).Append(':').Append(string.Join(',', values.Select(v => CollapseSpaces(v ?? "")))).Append('\n');
        }
        text.Append('\n').Append(string.Join(';', signedHeaders)).Append('\n');
        var declared = request.Headers["X-Amz-Content-Sha256"].ToString();
        text.Append(declared == "UNSIGNED-PAYLOAD" ? declared : Hex(SHA256.HashData(body)));
        return text.ToString();
    }

    /// <summary>Each segment of the path as sent, URI-encoded once more (every service but S3 signs the doubly encoded path).</summary>
    private static string CanonicalPath(string rawPath)
    {
        if (rawPath.Length == 0)
        {
            return "/";
        }
        return string.Join('/', rawPath.Split('/').Select(segment => UriEncode(segment)));
    }

    private static string CanonicalQuery(string rawQuery)
    {
        if (rawQuery.Length == 0)
        {
            return "";
        }
        return string.Join('&', rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
                var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
                return (Name: UriEncode(name), Value: UriEncode(value));
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));
    }

    /// <summary>RFC 3986 encoding as SigV4 defines it: unreserved characters kept, everything else %XX upper-case.</summary>
    internal static string UriEncode(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' or '~')
            {
                text.Append(c);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return text.ToString();
    }

    internal static byte[] SigningKey(string secretKey, string date, string region, string service)
    {
        var kDate = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretKey), Encoding.UTF8.GetBytes(date));
        var kRegion = HMACSHA256.HashData(kDate, Encoding.UTF8.GetBytes(region));
        var kService = HMACSHA256.HashData(kRegion, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(kService, "aws4_request"u8.ToArray());
    }

    private static Dictionary<string, string> ParseAuthorization(string value)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                fields[part[..equals].Trim()] = part[(equals + 1)..].Trim();
            }
        }
        return fields;
    }

    private static string CollapseSpaces(string value) => string.Join(' ', value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    internal static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
