namespace StatementTracker.Security;

public static class Roles
{
    public const string Reader = "reader";
    public const string Analyst = "analyst";
    public const string Admin = "admin";
}

/// <summary>The authorization policies endpoints name.</summary>
public static class Policies
{
    /// <summary>Record, correct, add sources, retract.</summary>
    public const string Write = "write";

    /// <summary>Everything under /admin.</summary>
    public const string Admin = "admin";

    /// <summary>Reads: open unless <see cref="SecurityOptions.ReadsRequireReader"/>. Endpoints that name no policy get it for GET and HEAD, and are denied every other method.</summary>
    public const string Read = "read";
}
