using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace StatementTracker.Benchmarks;

/// <summary>Latencies in milliseconds, summarised.</summary>
public sealed record Latencies(IReadOnlyList<double> Milliseconds, int Errors)
{
    public double Percentile(double p)
    {
        if (Milliseconds.Count == 0) return double.NaN;
        var sorted = Milliseconds.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>The ways the benchmark puts load on the service and on the database.</summary>
public static class Measure
{
    /// <summary>PostgreSQL's own speed for the same rows: one single-row INSERT per transaction from many connections.</summary>
    public static async Task<double> RawInsertsPerSecondAsync(string connectionString, IReadOnlyList<string> payloads, int connections, TimeSpan duration)
    {
        await ExecuteAsync(connectionString, "create table raw_inserts (id uuid primary key, data jsonb not null)");
        long inserted = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("insert into raw_inserts (id, data) values ($1, $2)", connection);
            var id = command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Uuid });
            var data = command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb });
            for (var i = c; clock.Elapsed < duration; i += connections)
            {
                id.Value = Guid.NewGuid();
                data.Value = payloads[i % payloads.Count];
                await command.ExecuteNonQueryAsync();
                Interlocked.Increment(ref inserted);
            }
        }));
        return inserted / clock.Elapsed.TotalSeconds;
    }

    /// <summary>PostgreSQL's own speed for the same rows in bulk: binary COPY.</summary>
    public static async Task<double> RawCopyPerSecondAsync(string connectionString, IReadOnlyList<string> payloads)
    {
        await ExecuteAsync(connectionString, "create table raw_copy (id uuid primary key, data jsonb not null)");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var clock = Stopwatch.StartNew();
        await using (var copy = await connection.BeginBinaryImportAsync("copy raw_copy (id, data) from stdin (format binary)"))
        {
            foreach (var payload in payloads)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid);
                await copy.WriteAsync(payload, NpgsqlDbType.Jsonb);
            }
            await copy.CompleteAsync();
        }
        return payloads.Count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// POSTs the lines of <paramref name="bodies"/> from <paramref name="clients"/> clients, each sending the next line
    /// as soon as it has its answer; <paramref name="weight"/> is what one request counts for.
    /// </summary>
    public static async Task<LoadResult> ClosedLoopAsync(
        HttpClient client, int clients, TimeSpan duration, string bodies, string path, string contentType, int weight = 1)
    {
        var lines = await File.ReadAllLinesAsync(bodies);
        var latencies = new ConcurrentBag<double>();
        var errors = 0;
        long done = 0;
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                using var message = new HttpRequestMessage(HttpMethod.Post, path)
                {
                    Content = new StringContent(lines[Interlocked.Increment(ref next) % lines.Length], Encoding.UTF8, contentType),
                };
                var started = clock.Elapsed;
                using var response = await client.SendAsync(message);
                latencies.Add((clock.Elapsed - started).TotalMilliseconds);
                if (response.IsSuccessStatusCode) Interlocked.Add(ref done, weight);
                else Interlocked.Increment(ref errors);
            }
        }));
        var timed = new Latencies(latencies.ToArray(), errors);
        return new LoadResult(done / clock.Elapsed.TotalSeconds, timed.Percentile(50), timed.Percentile(95), timed.Percentile(99), errors, "HttpClient");
    }

    /// <summary>A steady stream of requests (<paramref name="perSecond"/>, whatever the answers' pace), each timed.</summary>
    /// <param name="afresh">Each request with <c>Cache-Control: no-cache</c>: read from the tables, not given a kept answer.</param>
    public static async Task<(Latencies Latencies, long Bytes)> SteadyAsync(HttpClient client, string url, double perSecond, TimeSpan duration, bool afresh = false)
    {
        Task<HttpResponseMessage> GetAsync()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (afresh) request.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true };
            return client.SendAsync(request);
        }
        using (var warm = await GetAsync()) warm.EnsureSuccessStatusCode();
        var latencies = new ConcurrentBag<double>();
        var errors = 0;
        long bytes = 0;
        var clock = Stopwatch.StartNew();
        var requests = new List<Task>();
        for (var i = 0; clock.Elapsed < duration; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond);
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
            requests.Add(Task.Run(async () =>
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await GetAsync();
                var body = await response.Content.ReadAsByteArrayAsync();
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Interlocked.Exchange(ref bytes, body.Length);
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
            }));
        }
        await Task.WhenAll(requests);
        return (new Latencies(latencies.ToArray(), errors), bytes);
    }

    /// <summary>Reads every stored statement event and deserialises it, as a projection's catch-up must: events per second.</summary>
    public static async Task<double> RawReadPerSecondAsync(string connectionString, Func<string, string, object> deserialize)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select type, data::text from public.mt_events order by seq_id", connection) { CommandTimeout = 0 };
        var clock = Stopwatch.StartNew();
        long read = 0;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            deserialize(reader.GetString(0), reader.GetString(1));
            read++;
        }
        return read / clock.Elapsed.TotalSeconds;
    }

    /// <summary>The most resident memory of the service seen while <paramref name="work"/> runs (sampled every 100 ms).</summary>
    public static async Task<(T Result, long PeakBytes)> WatchingMemoryAsync<T>(Testing.ServiceNode node, Func<Task<T>> work)
    {
        long peak = node.ResidentBytes() ?? 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, node.ResidentBytes() ?? 0);
                try { await Task.Delay(100, stop.Token); } catch (OperationCanceledException) { }
            }
        });
        var result = await work();
        await stop.CancelAsync();
        await sampler;
        return (result, peak);
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }
}
