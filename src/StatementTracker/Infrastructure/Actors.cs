using System.Security.Claims;

namespace StatementTracker.Infrastructure;

/// <summary>Who caused an event: the authenticated caller's name (an API key's name, a token's name or subject).</summary>
public static class Actors
{
    /// <summary>Only for events caused without a caller, which the write policies do not allow over HTTP.</summary>
    public const string Anonymous = "anonymous";

    public static string NameOf(ClaimsPrincipal? user) =>
        user?.Identity is not { IsAuthenticated: true } ? Anonymous
        : user.Identity.Name is { Length: > 0 } name ? name
        : user.FindFirst("sub")?.Value ?? Anonymous;
}
