namespace StatementTracker.Positions.Alignment;

/// <summary>A country's current substantive stance on a topic, as alignment compares it.</summary>
public sealed record AlignedStance(string Stance, string Family, IReadOnlyList<string> Targets)
{
    public static AlignedStance Of(HistoryEntry entry) => new(entry.Stance, entry.Family, entry.Targets);
}

/// <summary>How two countries' stances on one topic compare. Not comparable: <c>sameFamily</c> and <c>sameStance</c> are null.</summary>
public sealed record StanceComparison(bool Comparable, bool? SameFamily, bool? SameStance);

/// <summary>
/// Alignment between countries, from their current substantive stances only (non-positions say nothing
/// about where a country stands). Two stances are comparable when they are directed at the same targets,
/// or neither has any: "support" for China and "support" for Taiwan are not agreement. Comparable stances
/// agree when they fall in the same family. Over a set of topics:
/// <c>score = sameFamily / commonTopics</c>, where <c>commonTopics</c> counts the topics on which both
/// have comparable substantive stances; no common topics, no score.
/// </summary>
public static class AlignmentRules
{
    public static StanceComparison Compare(AlignedStance a, AlignedStance b) =>
        Targets.Same(a.Targets, b.Targets)
            ? new StanceComparison(true, a.Family == b.Family, a.Stance == b.Stance)
            : new StanceComparison(false, null, null);

    public static double? Score(int sameFamily, int commonTopics) =>
        commonTopics == 0 ? null : Math.Round((double)sameFamily / commonTopics, 4);
}
