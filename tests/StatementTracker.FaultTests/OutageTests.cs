using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Npgsql;
using Shouldly;

namespace StatementTracker.FaultTests;

public class OutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FailFast = TimeSpan.FromSeconds(5);

    private sealed record Answer(TimeSpan At, TimeSpan Took, int Status, Guid Id, bool IsProblem, bool HasRetryAfter);

    [BoundedFact(Timeout = TestBounds.FaultTest)]
    public async Task a_ten_second_database_outage_fails_fast_recovers_by_itself_and_loses_nothing()
    {
        // Stops the load loops when the test's time bound passes.
        var cancellation = TestContext.Current.CancellationToken;
        await using var database = TestDatabase.WithOwnCluster();
        await database.InitializeAsync();
        var connectionString = await database.CreateDatabaseAsync("outage");
        var store = new Store(connectionString);
        await using var node = new ServiceNode(connectionString, "outage");
        await node.StartAsync();

        var answers = new ConcurrentBag<Answer>();
        var clock = Stopwatch.StartNew();
        TimeSpan stoppedAt = default, startingAt = default, restartedAt = default;
        using var stopLoad = new CancellationTokenSource();
        var readiness = new ConcurrentBag<(TimeSpan At, int Status)>();

        async Task Client()
        {
            using var client = node.CreateClient(timeout: FailFast * 2);
            while (!stopLoad.IsCancellationRequested)
            {
                var body = StatementBodies.Valid("taiwan", "JPN");
                var id = Guid.Parse(body["statementId"]!.GetValue<string>());
                var started = clock.Elapsed;
                try
                {
                    using var response = await client.PostAsJsonAsync("/statements", body, cancellation);
                    answers.Add(new Answer(started, clock.Elapsed - started, (int)response.StatusCode, id,
                        response.Content.Headers.ContentType?.MediaType == "application/problem+json", response.Headers.RetryAfter is not null));
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    answers.Add(new Answer(started, clock.Elapsed - started, 0, id, false, false));
                }
                await Task.Delay(20, cancellation);
            }
        }

        async Task WatchReadiness()
        {
            using var client = node.CreateClient(timeout: FailFast * 2);
            while (!stopLoad.IsCancellationRequested)
            {
                try { readiness.Add((clock.Elapsed, (int)(await client.GetAsync("/health/ready", cancellation)).StatusCode)); }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException) { readiness.Add((clock.Elapsed, 0)); }
                await Task.Delay(500, cancellation);
            }
        }

        async Task Outage()
        {
            await Task.Delay(TimeSpan.FromSeconds(3), cancellation);
            // pg_ctl stop -w returns once the server is down: only from then on is it an outage.
            await database.StopServerAsync();
            stoppedAt = clock.Elapsed;
            await Should.ThrowAsync<NpgsqlException>(() => store.ScalarAsync<int>("select 1"), "the database is down when the outage's clock starts");
            await Task.Delay(OutageTests.Outage, cancellation);
            startingAt = clock.Elapsed;
            await database.StartServerAsync();
            restartedAt = clock.Elapsed;
            // Load goes on until the service has recorded statements again for a while.
            var deadline = clock.Elapsed + TimeSpan.FromSeconds(60);
            while (clock.Elapsed < deadline && answers.Count(a => a.At > restartedAt && a.Status == 201) < 50) await Task.Delay(200, cancellation);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellation);
            await stopLoad.CancelAsync();
        }

        await Task.WhenAll([.. Enumerable.Range(0, 8).Select(_ => Client()), WatchReadiness(), Outage()]);

        var all = answers.ToArray();
        var acknowledged = all.Where(a => a.Status is 200 or 201).Select(a => a.Id).ToHashSet();
        var duringOutage = all.Where(a => a.At >= stoppedAt && a.At < restartedAt).ToArray();
        var firstSuccessAfter = all.Where(a => a.At >= restartedAt && a.Status == 201).Select(a => a.At + a.Took).DefaultIfEmpty(TimeSpan.MaxValue).Min();
        var stored = await store.StatementIdsAsync();
        var lost = acknowledged.Count(id => !stored.Contains(id));
        var catchUp = Stopwatch.StartNew();
        await store.ProjectionsAgreeAsync(TimeSpan.FromSeconds(90), "the projections to catch up");
        var notReady = readiness.Where(r => r.At > stoppedAt + TimeSpan.FromSeconds(1) && r.At < startingAt).Select(r => r.Status).Distinct().ToArray();

        Figures.Print(output, "outage: PostgreSQL stopped for 10 s under load",
            ("requests", all.Length), ("acknowledged", acknowledged.Count), ("answered during the outage", duringOutage.Length),
            ("503 problems during the outage", duringOutage.Count(a => a.Status == 503)),
            ("slowest answer during the outage", $"{duringOutage.Select(a => a.Took).DefaultIfEmpty().Max().TotalMilliseconds:F0} ms"),
            ("5xx other than 503", all.Count(a => a.Status >= 500 && a.Status != 503)), ("no answer (connection failures)", all.Count(a => a.Status == 0)),
            ("readiness during the outage", string.Join(",", notReady)),
            ("recovery (database back to first 201)", $"{(firstSuccessAfter - restartedAt).TotalSeconds:F1} s"),
            ("projection catch-up after the load", $"{catchUp.Elapsed.TotalSeconds:F1} s"), ("lost", lost));

        duringOutage.Length.ShouldBeGreaterThan(0);
        duringOutage.ShouldAllBe(a => a.Took < FailFast, "every request during the outage is answered within 5 s");
        duringOutage.Where(a => a.Status != 201).ShouldAllBe(a => a.Status == 503 && a.IsProblem && a.HasRetryAfter);
        all.ShouldAllBe(a => a.Status == 201 || a.Status == 503);
        firstSuccessAfter.ShouldBeLessThan(restartedAt + TimeSpan.FromSeconds(30));
        notReady.ShouldBe([503]);
        lost.ShouldBe(0);
    }
}
