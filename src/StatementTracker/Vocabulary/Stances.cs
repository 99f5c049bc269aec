namespace StatementTracker.Vocabulary;

/// <summary>
/// The stance codes of DOMAIN.md. A stance normalises a position so positions can be compared
/// over time and between countries.
/// </summary>
public static class Stances
{
    public const string Support = "support";
    public const string Oppose = "oppose";
    public const string Condemn = "condemn";
    public const string Reject = "reject";
    public const string Concern = "concern";
    public const string Monitor = "monitor";
    public const string Urge = "urge";
    public const string Demand = "demand";
    public const string Commit = "commit";
    public const string Warn = "warn";
    public const string Welcome = "welcome";
    public const string NoComment = "no-comment";

    /// <summary>What an inferred stance is when no rule recognises the position's words.</summary>
    public const string Unclassified = "unclassified";

    public static readonly IReadOnlyList<string> Codes =
        [Support, Oppose, Condemn, Reject, Concern, Monitor, Urge, Demand, Commit, Warn, Welcome, NoComment];

    /// <summary>Codes a client may state; "unclassified" only ever comes from inference.</summary>
    public static bool IsKnown(string? code) => code is not null && Codes.Contains(code);
}
