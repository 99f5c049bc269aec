using System.Diagnostics;
using System.Globalization;
using StatementTracker.Testing;

namespace StatementTracker.Benchmarks;

/// <summary>What a closed-loop load run measured: requests (or statements) per second and latencies.</summary>
public sealed record LoadResult(double PerSecond, double P50, double P95, double P99, int Errors, string Client);

/// <summary>
/// Closed-loop POST load from wrk (a C load generator, <c>apt-get install wrk</c>) when it is installed: a client
/// in the benchmark's own process takes CPU the service and PostgreSQL would otherwise have on a small machine
/// (.NET's HttpClient costs several times wrk's CPU per request). Each request posts the next body of a file of
/// bodies, one per line, every body sent once; wrk's threads take alternate lines.
/// </summary>
public static class Wrk
{
    public static bool IsInstalled { get; } = File.Exists("/usr/bin/wrk") || File.Exists("/usr/local/bin/wrk");

    private const string Script =
        """
        local counter = 0
        function setup(thread)
          thread:set("id", counter)
          counter = counter + 1
        end
        function init(args)
          local count = tonumber(args[2])
          bodies = {}
          local n = 0
          for line in io.lines(args[1]) do
            if n % count == id then table.insert(bodies, line) end
            n = n + 1
          end
          next_body = 1
        end
        function request()
          local body = bodies[next_body]
          next_body = next_body % #bodies + 1
          return wrk.format("POST", nil, nil, body)
        end
        function done(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("RESULT %d %d %d %d %d %d\n", summary.requests, summary.duration,
            e.status + e.connect + e.read + e.write + e.timeout,
            latency:percentile(50), latency:percentile(95), latency:percentile(99)))
        end
        """;

    /// <summary>
    /// Posts the lines of <paramref name="bodies"/> to <paramref name="url"/> from <paramref name="connections"/>
    /// connections for <paramref name="duration"/>; <paramref name="weight"/> is what one request counts for.
    /// </summary>
    public static async Task<LoadResult> PostAsync(
        Uri url, string apiKey, string contentType, string bodies, int connections, TimeSpan duration, int weight = 1)
    {
        var script = Path.Combine(Path.GetTempPath(), $"statementtracker-wrk-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, Script);
        var threads = Math.Min(connections, Math.Max(1, Environment.ProcessorCount));
        var start = new ProcessStartInfo("wrk",
        [
            "-t", threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", $"{(int)Math.Ceiling(duration.TotalSeconds)}s", "--timeout", "120s",
            "-H", $"Content-Type: {contentType}", "-H", $"X-Api-Key: {apiKey}",
            "-s", script, url.ToString(), "--", bodies, threads.ToString(CultureInfo.InvariantCulture),
        ]);
        try
        {
            using var wrk = ChildProcess.Start(start);
            await wrk.WaitForExitAsync(CancellationToken.None);
            var result = wrk.Output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
                         ?? throw new InvalidOperationException($"wrk gave no result: {wrk.Output}");
            var f = result.Split(' ').Skip(1).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            var (requests, micros, errors) = (f[0], f[1], (int)f[2]);
            return new LoadResult((requests - errors) * weight / (micros / 1e6), f[3] / 1000, f[4] / 1000, f[5] / 1000, errors, "wrk");
        }
        finally
        {
            File.Delete(script);
        }
    }
}
