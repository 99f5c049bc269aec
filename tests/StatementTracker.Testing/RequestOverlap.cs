using System.Diagnostics;

namespace StatementTracker.Testing;

/// <summary>
/// When each of a burst of requests was sent and when its answer arrived. A concurrency test asserts
/// <see cref="AllSentBeforeFirstAnswer"/>: then every request was in flight at once, so a client (or a test)
/// that sent them one after another could not have passed it.
/// </summary>
public sealed class RequestOverlap
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastSent = long.MinValue, _firstAnswered = long.MaxValue;
    private int _sent, _answered;

    /// <summary>Sends one request of the burst through <paramref name="send"/>, noting when it left and when it was answered.</summary>
    public async Task<T> TimeAsync<T>(Func<Task<T>> send)
    {
        Max(ref _lastSent, _clock.ElapsedTicks);
        Interlocked.Increment(ref _sent);
        var answer = await send();
        Min(ref _firstAnswered, _clock.ElapsedTicks);
        Interlocked.Increment(ref _answered);
        return answer;
    }

    public bool AllSentBeforeFirstAnswer => Interlocked.Read(ref _lastSent) < Interlocked.Read(ref _firstAnswered);

    public override string ToString() =>
        $"{_sent} sent, {_answered} answered; last sent at {Milliseconds(_lastSent):F1} ms, first answered at {Milliseconds(_firstAnswered):F1} ms";

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static void Max(ref long target, long value)
    {
        for (var seen = Interlocked.Read(ref target); value > seen; seen = Interlocked.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }

    private static void Min(ref long target, long value)
    {
        for (var seen = Interlocked.Read(ref target); value < seen; seen = Interlocked.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }
}
