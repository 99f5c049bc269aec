using System.Security.Claims;

namespace StatementTracker.Infrastructure;

/// <summary>Who caused an event: the authenticated caller, or a fixed name until authentication exists.</summary>
public static class Actors
{
    /// <summary>Recorded on events whose caller is not authenticated.</summary>
    public const string Anonymous = "anonymous";

    public static string NameOf(ClaimsPrincipal? user) =>
        user?.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : Anonymous;
}
