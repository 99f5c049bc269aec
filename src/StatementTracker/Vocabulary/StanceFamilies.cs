using System.Collections.Frozen;

namespace StatementTracker.Vocabulary;

/// <summary>
/// Every stance belongs to one family, so positions compare at two grains: the same stance, or the same
/// kind of stance. The <see cref="None"/> family holds the non-positions: saying nothing about where a
/// country stands, they never displace a position, never start or end a shift, and never count in alignment.
/// </summary>
public static class StanceFamilies
{
    public const string Favourable = "favourable";
    public const string Critical = "critical";
    public const string Guarded = "guarded";
    public const string None = "none";

    public static readonly IReadOnlyList<string> Codes = [Favourable, Critical, Guarded, None];

    /// <summary>The families with their stances, in the order DOMAIN.md lists them.</summary>
    public static readonly IReadOnlyList<(string Family, string[] Stances)> Members =
    [
        (Favourable, [Stances.Support, Stances.Welcome, Stances.Commit]),
        (Critical, [Stances.Oppose, Stances.Condemn, Stances.Reject, Stances.Warn, Stances.Demand]),
        (Guarded, [Stances.Concern, Stances.Urge, Stances.Monitor]),
        (None, [Stances.NoComment, Stances.Unclassified]),
    ];

    private static readonly FrozenDictionary<string, string> FamilyByStance =
        Members.SelectMany(m => m.Stances.Select(stance => (stance, m.Family))).ToFrozenDictionary(x => x.stance, x => x.Family);

    /// <summary>The family of a stance code; an unknown code is treated as a non-position.</summary>
    public static string Of(string stance) => FamilyByStance.GetValueOrDefault(stance, None);

    /// <summary>Whether the stance says where the country stands (every family but <see cref="None"/>).</summary>
    public static bool IsSubstantive(string stance) => Of(stance) != None;
}
