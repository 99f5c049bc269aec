using System.Diagnostics;

namespace StatementTracker.Testing;

/// <summary>Polls a condition until it holds, or fails the test with what was awaited once the deadline passes.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan within, string what, TimeSpan? every = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition()) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Npgsql.NpgsqlException)
            {
                // Not yet answering (a service or a database): keep polling until the deadline.
            }
            if (clock.Elapsed > within) throw new TimeoutException($"Waited {within.TotalSeconds:F0} s for {what}; it did not happen.");
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(100));
        }
    }
}
