using System.Diagnostics;
using Npgsql;
using Shouldly;
using StatementTracker.Infrastructure;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

/// <summary>
/// Recording takes no lock keyed on the client's statement id; the only lock it waits for is the rebuild's
/// write gate, in a key namespace of our own, and it waits for it a bounded time.
/// </summary>
[Collection(ApiCollection.Name)]
public class WriteGateTests(AppFixture app)
{
    [BoundedFact]
    public async Task a_writer_waits_at_a_closed_gate_a_bounded_time_then_answers_503_and_records_once_it_opens()
    {
        var topic = StatementBodies.UniqueTopic("gate");
        var body = StatementBodies.Valid(topic);
        await using var holder = new NpgsqlConnection(app.ConnectionString);
        await holder.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var close = new NpgsqlCommand(WriteGate.Close, holder, transaction)) await close.ExecuteNonQueryAsync();

        var clock = Stopwatch.StartNew();
        var (status, problem, response) = await app.Host.PostJsonAsync("/statements", body);
        var waited = clock.Elapsed;
        await transaction.RollbackAsync();

        (status, problem, response).ShouldBeProblem(503);
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(5));
        waited.ShouldBeGreaterThan(TimeSpan.FromSeconds(4.5));
        waited.ShouldBeLessThan(TimeSpan.FromSeconds(15));
        (await app.Host.GetJsonAsync($"/statements?topic={topic}"))["items"]!.AsArray().ShouldBeEmpty();
        (await app.Host.PostJsonAsync("/statements", body)).Status.ShouldBe(201);
    }

    [BoundedFact]
    public async Task recording_holds_no_advisory_lock_but_the_gate_in_our_own_namespace()
    {
        await using var watcher = new NpgsqlConnection(app.ConnectionString);
        await watcher.OpenAsync();
        var seen = new HashSet<string>();
        using var stop = new CancellationTokenSource();
        var watching = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await using var command = new NpgsqlCommand(
                    "select classid::text || ':' || objid::text || ':' || objsubid::text from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())",
                    watcher);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync()) lock (seen) seen.Add(reader.GetString(0));
            }
        });
        var topic = StatementBodies.UniqueTopic("locks");
        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => app.Host.PostJsonAsync("/statements", StatementBodies.Valid(topic))));
        stop.Cancel();
        await watching;

        // Two-key locks show classid = first key, objid = second key, objsubid = 2. Wolverine's own single-key locks may show too.
        lock (seen) seen.Where(l => l.EndsWith(":2", StringComparison.Ordinal)).ShouldAllBe(l => l == "1398033748:0:2");
    }
}
