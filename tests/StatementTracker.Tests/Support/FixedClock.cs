namespace StatementTracker.Tests.Support;

public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public static readonly FixedClock Today = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));

    public override DateTimeOffset GetUtcNow() => now;
}
