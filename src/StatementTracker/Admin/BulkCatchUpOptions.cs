namespace StatementTracker.Admin;

/// <summary>The <c>Projections</c> configuration section.</summary>
public sealed class BulkCatchUpOptions
{
    public const string Section = "Projections";

    /// <summary>
    /// How many events behind the store an async projection must be (and at least as many as it has applied)
    /// before it catches up by a rebuild instead of event by event. 0 turns bulk catch-up off.
    /// </summary>
    public long BulkCatchUpAfter { get; set; } = 100_000;

    /// <summary>How often each node looks at how far behind the projections are.</summary>
    public double CheckSeconds { get; set; } = 2;
}
