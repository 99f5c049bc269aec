using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace StatementTracker.Operations;

/// <summary>
/// A readiness check run at most once per <see cref="HealthOptions.CacheSeconds"/>, however many probes ask:
/// callers within the interval get the last result, and callers that arrive while it runs share that run. So
/// a flood of anonymous <c>/health/ready</c> calls costs the database one check per interval.
/// </summary>
public sealed class CachedReadiness(TimeSpan interval)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (Task<HealthCheckResult> Run, long StartedAt)> _runs = [];
    private int _checksRun;

    /// <summary>How many checks actually ran (the rest were answered from the cache).</summary>
    public int ChecksRun => Volatile.Read(ref _checksRun);

    public Task<HealthCheckResult> GetAsync(string name, Func<Task<HealthCheckResult>> check)
    {
        lock (_gate)
        {
            var now = Environment.TickCount64;
            if (_runs.TryGetValue(name, out var last) && (!last.Run.IsCompleted || now - last.StartedAt < (long)interval.TotalMilliseconds))
                return last.Run;
            Interlocked.Increment(ref _checksRun);
            // Run without the caller's cancellation: its result is shared with callers who did not cancel.
            var run = Task.Run(check);
            _runs[name] = (run, now);
            return run;
        }
    }
}

/// <summary>Wraps a readiness check so that it runs through <see cref="CachedReadiness"/>.</summary>
public sealed class CachedCheck<TCheck>(TCheck inner, CachedReadiness cache) : IHealthCheck where TCheck : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellation) =>
        cache.GetAsync(typeof(TCheck).Name, () => inner.CheckHealthAsync(context, CancellationToken.None));
}
