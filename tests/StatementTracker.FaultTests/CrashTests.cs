using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Shouldly;

namespace StatementTracker.FaultTests;

public class CrashTests(TestDatabase database, ITestOutputHelper output)
{
    private const int Statements = 5000;
    private const int Clients = 16;
    /// <summary>How long a client keeps retrying one statement before the test fails.</summary>
    private static readonly TimeSpan RetryDeadline = TimeSpan.FromSeconds(90);
    private static readonly string[] Countries = ["JPN", "CHN", "RUS", "USA", "PHL", "KAZ", "IND", "AUS"];
    private static readonly string[] Topics = ["taiwan", "south-china-sea", "ukraine-war", "china-russia-relations"];

    [BoundedFact(Timeout = TestBounds.FaultTest)]
    public async Task a_sigkill_mid_load_loses_nothing_acknowledged_and_records_each_statement_once()
    {
        // Stops the load loops when the test's time bound passes.
        var cancellation = TestContext.Current.CancellationToken;
        var connectionString = await database.CreateDatabaseAsync("crash");
        var store = new Store(connectionString);
        await using var node = new ServiceNode(connectionString, "crash");
        await node.StartAsync();

        var bodies = Enumerable.Range(0, Statements)
            .Select(i => StatementBodies.Valid(Topics[i % Topics.Length], Countries[i % Countries.Length], $"2024-{1 + i % 12:D2}-{1 + i % 28:D2}"))
            .ToArray();
        var pending = new ConcurrentQueue<int>(Enumerable.Range(0, Statements));
        var acknowledged = new ConcurrentDictionary<Guid, int>();
        int requests = 0, failedAttempts = 0, alreadyRecorded = 0;
        var kill = new TaskCompletionSource();
        Guid[] acknowledgedBeforeKill = [];
        var clock = Stopwatch.StartNew();
        long killedAtTicks = 0, firstAcknowledgedAfterKillTicks = 0;
        TimeSpan restartTook = default;

        async Task Client()
        {
            using var client = node.CreateClient(TimeSpan.FromSeconds(10));
            while (pending.TryDequeue(out var index))
            {
                var body = bodies[index];
                var id = Guid.Parse(body["statementId"]!.GetValue<string>());
                var giveUpAt = clock.Elapsed + RetryDeadline;
                while (true)
                {
                    if (clock.Elapsed > giveUpAt)
                        throw new TimeoutException($"Statement {index} was not acknowledged within {RetryDeadline.TotalSeconds} s of retries; see {node.LogFile}");
                    Interlocked.Increment(ref requests);
                    try
                    {
                        using var response = await client.PostAsJsonAsync("/statements", body, cancellation);
                        var status = (int)response.StatusCode;
                        if (status is 200 or 201)
                        {
                            if (status == 200) Interlocked.Increment(ref alreadyRecorded);
                            acknowledged[id] = status;
                            if (Interlocked.Read(ref killedAtTicks) > 0) Interlocked.CompareExchange(ref firstAcknowledgedAfterKillTicks, clock.Elapsed.Ticks, 0);
                            if (acknowledged.Count >= Statements / 2) kill.TrySetResult();
                            break;
                        }
                        status.ShouldBeGreaterThanOrEqualTo(500, $"statement {index} was refused: {await response.Content.ReadAsStringAsync()}");
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                    }
                    Interlocked.Increment(ref failedAttempts);
                    await Task.Delay(100, cancellation);
                }
            }
        }

        async Task Crash(Task load)
        {
            // A load that ends (or fails) before half is acknowledged must not leave this waiting for ever.
            if (await Task.WhenAny(kill.Task, load) != kill.Task) return;
            node.Kill();
            acknowledgedBeforeKill = [.. acknowledged.Keys];
            Interlocked.Exchange(ref killedAtTicks, clock.Elapsed.Ticks);
            var restart = Stopwatch.StartNew();
            await node.StartAsync();
            restartTook = restart.Elapsed;
        }

        var load = Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Client()));
        await Task.WhenAll(load, Crash(load));
        var loadTime = clock.Elapsed;

        var stored = await store.StatementIdsAsync();
        var events = await store.ScalarAsync<long>("select count(*) from public.mt_events");
        var duplicates = await store.DuplicatesAsync();
        var lost = acknowledged.Keys.Count(id => !stored.Contains(id));
        var lostBeforeKill = acknowledgedBeforeKill.Count(id => !stored.Contains(id));
        var catchUp = Stopwatch.StartNew();
        await store.WaitUntilAsync(async () => await store.ProjectionDisagreementsAsync() == 0, TimeSpan.FromSeconds(120), "the projections to agree with the events");

        Figures.Print(output, "crash: SIGKILL mid-load, restart, clients retry",
            ("statements", Statements), ("clients", Clients), ("requests", requests), ("failed attempts (retried)", failedAttempts),
            ("acknowledged", acknowledged.Count), ("acknowledged before the kill", acknowledgedBeforeKill.Length),
            ("retries answered 200 (already recorded)", alreadyRecorded), ("stored statements", stored.Count), ("stored events", events),
            ("lost", lost), ("lost of those acknowledged before the kill", lostBeforeKill), ("duplicates", duplicates),
            ("killed at", $"{TimeSpan.FromTicks(killedAtTicks).TotalSeconds:F1} s"), ("restart (process start to live)", $"{restartTook.TotalSeconds:F1} s"),
            ("recovery (kill to first ack after it)", $"{TimeSpan.FromTicks(firstAcknowledgedAfterKillTicks - killedAtTicks).TotalSeconds:F1} s"),
            ("load time", $"{loadTime.TotalSeconds:F1} s"), ("projection catch-up after load", $"{catchUp.Elapsed.TotalSeconds:F1} s"));

        acknowledged.Count.ShouldBe(Statements);
        acknowledgedBeforeKill.Length.ShouldBeGreaterThan(0);
        lost.ShouldBe(0);
        duplicates.ShouldBe(0);
        stored.Count.ShouldBe(Statements);
        events.ShouldBe(Statements);
    }
}
