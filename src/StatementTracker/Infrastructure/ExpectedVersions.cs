using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Primitives;

namespace StatementTracker.Infrastructure;

/// <summary>
/// The stream version a client says it is changing: <c>expectedVersion</c> in the body or an
/// <c>If-Match</c> header holding the ETag that <c>GET /statements/{id}</c> gave (<c>"3"</c>).
/// </summary>
public static class ExpectedVersions
{
    public static string ETagFor(long version) => $"\"{version}\"";

    public static (long? Version, ProblemDetails? Problem) Resolve(long? fromBody, StringValues ifMatch, bool required)
    {
        long? fromHeader = null;
        if (!StringValues.IsNullOrEmpty(ifMatch))
        {
            if (ifMatch.Count != 1 || !TryParseETag(ifMatch[0]!, out var parsed))
                return (null, Problems.Invalid("If-Match", "Must be one ETag as GET /statements/{id} returns it, such as \"3\"."));
            fromHeader = parsed;
        }

        if (fromBody is not null && fromHeader is not null && fromBody != fromHeader)
            return (null, Problems.Invalid("expectedVersion", $"Disagrees with If-Match ({fromHeader}): give one version."));

        var version = fromBody ?? fromHeader;
        if (version is null && required)
            return (null, Problems.Invalid("expectedVersion",
                "Required: the version you are correcting, as expectedVersion or as If-Match with the statement's ETag."));
        return (version, null);
    }

    private static bool TryParseETag(string value, out long version)
    {
        var tag = value.Trim();
        if (tag.StartsWith("W/", StringComparison.Ordinal)) tag = tag[2..];
        tag = tag.Trim('"');
        return long.TryParse(tag, NumberStyles.None, CultureInfo.InvariantCulture, out version) && version >= 1;
    }
}
