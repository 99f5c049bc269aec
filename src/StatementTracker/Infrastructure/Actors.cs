using System.Security.Claims;

namespace StatementTracker.Infrastructure;

/// <summary>
/// Who caused an event. The actor is a stable identity that no caller can edit or share
/// (<c>key:{name}</c> for an API key, <c>jwt:{issuer}|{sub}</c> for a token); the display name
/// (a key's name, a token's name claim) is recorded beside it for people, never trusted as identity.
/// </summary>
public static class Actors
{
    /// <summary>Only for events caused without a caller, which the write policies do not allow over HTTP.</summary>
    public const string Anonymous = "anonymous";

    /// <summary>The claim authentication adds with the caller's stable identity.</summary>
    public const string IdClaim = "statementtracker:actor";

    public static string ForApiKey(string keyName) => $"key:{keyName}";

    public static string ForToken(string issuer, string subject) => $"jwt:{issuer}|{subject}";

    /// <summary>The caller's stable identity, for the audit trail and the rate-limit partition.</summary>
    public static string IdOf(ClaimsPrincipal? user) =>
        user?.Identity is { IsAuthenticated: true } && user.FindFirst(IdClaim)?.Value is { Length: > 0 } id ? id : Anonymous;

    /// <summary>What the caller calls themselves, for people reading the history; null when anonymous.</summary>
    public static string? DisplayNameOf(ClaimsPrincipal? user) =>
        user?.Identity is not { IsAuthenticated: true } ? null
        : user.Identity.Name is { Length: > 0 } name ? name
        : user.FindFirst("sub")?.Value;
}
