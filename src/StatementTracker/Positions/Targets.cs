namespace StatementTracker.Positions;

/// <summary>
/// Whom a stance is directed at, as a set: two stances are comparable only when they are directed at the
/// same set of targets (or neither has any). Stored and shown in code order, so equal sets look equal.
/// </summary>
public static class Targets
{
    public static IReadOnlyList<string> Canonical(IEnumerable<string> targets) =>
        targets.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The set as one text ("CHN,RUS"), as the projection hands it to SQL.</summary>
    public static string Key(IEnumerable<string> targets) => string.Join(',', Canonical(targets));

    public static bool Same(IReadOnlyList<string> a, IReadOnlyList<string> b) => Key(a) == Key(b);
}
