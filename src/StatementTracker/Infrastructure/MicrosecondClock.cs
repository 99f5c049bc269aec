namespace StatementTracker.Infrastructure;

/// <summary>
/// Event timestamps at the precision PostgreSQL stores them (microseconds). Marten stamps events in
/// .NET (100 ns ticks) and the inline statement document is built from that stamp, while a replay
/// reads the stored one: without this, a rebuilt document would differ from the live one.
/// </summary>
public sealed class MicrosecondClock(TimeProvider inner) : TimeProvider
{
    public override DateTimeOffset GetUtcNow()
    {
        var now = inner.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
