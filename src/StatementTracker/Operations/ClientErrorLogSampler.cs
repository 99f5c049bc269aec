using Microsoft.Extensions.Logging;

namespace StatementTracker.Operations;

/// <summary>
/// The client errors a flood of cheap requests produces (401, 403, 404, 405, 413, 429) are logged at Information at
/// most once per <see cref="Interval"/> and status, saying how many were logged at Debug since; the rest go to
/// Debug. So a flood cannot fill the logs, and an operator still sees that it happens.
/// </summary>
public sealed class ClientErrorLogSampler(TimeProvider clock)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private static readonly HashSet<int> Sampled = [401, 403, 404, 405, 413, 429];

    private readonly Dictionary<int, (DateTimeOffset Next, long Suppressed)> _windows = [];
    private readonly Lock _lock = new();

    /// <summary>The level to log a problem of this status at; <paramref name="suppressed"/> counts the Debug ones before it.</summary>
    public LogLevel LevelFor(int status, out long suppressed)
    {
        suppressed = 0;
        if (status >= 500) return LogLevel.Error;
        if (!Sampled.Contains(status)) return LogLevel.Information;
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            var window = _windows.GetValueOrDefault(status);
            if (now < window.Next)
            {
                _windows[status] = window with { Suppressed = window.Suppressed + 1 };
                return LogLevel.Debug;
            }
            suppressed = window.Suppressed;
            _windows[status] = (now + Interval, 0);
            return LogLevel.Information;
        }
    }
}
