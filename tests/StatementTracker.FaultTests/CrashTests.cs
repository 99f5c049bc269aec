using System.Diagnostics;
using Shouldly;

namespace StatementTracker.FaultTests;

public class CrashTests(TestDatabase database, ITestOutputHelper output)
{
    private const int Statements = 5000;
    private const int Clients = 16;
    private static readonly string[] Countries = ["JPN", "CHN", "RUS", "USA", "PHL", "KAZ", "IND", "AUS"];
    private static readonly string[] Topics = ["taiwan", "south-china-sea", "ukraine-war", "china-russia-relations"];

    [BoundedFact(Timeout = TestBounds.FaultTest)]
    public async Task a_sigkill_mid_load_loses_nothing_acknowledged_and_records_each_statement_once()
    {
        var connectionString = await database.CreateDatabaseAsync("crash");
        var store = new Store(connectionString);
        await using var node = new ServiceNode(connectionString, "crash");
        await node.StartAsync();

        var load = new RetryingLoad([node], i => StatementBodies.Valid(
            Topics[i % Topics.Length], Countries[i % Countries.Length], $"2024-{1 + i % 12:D2}-{1 + i % 28:D2}"));
        Guid[] acknowledgedBeforeKill = [];
        TimeSpan killedAt = default, restartTook = default;

        async Task Crash(Task running)
        {
            // A load that ends (or fails) before half is acknowledged must not leave this waiting for ever.
            if (await Task.WhenAny(load.AcknowledgedAtLeast(Statements / 2), running) == running) return;
            load.OutageBegins();
            node.Kill();
            acknowledgedBeforeKill = [.. load.Acknowledged.Keys];
            killedAt = load.Clock.Elapsed;
            var restart = Stopwatch.StartNew();
            await node.StartAsync();
            restartTook = restart.Elapsed;
            // The service answers again: from here on, a 5xx is a fault, not the crash.
            load.OutageEnds();
        }

        var running = load.RunAsync(Clients, Statements, TestContext.Current.CancellationToken);
        await Task.WhenAll(running, Crash(running));
        var loadTime = load.Clock.Elapsed;

        var stored = await store.StatementIdsAsync();
        var events = await store.ScalarAsync<long>("select count(*) from public.mt_events");
        var duplicates = await store.DuplicatesAsync();
        var lost = load.Acknowledged.Keys.Count(id => !stored.Contains(id));
        var lostBeforeKill = acknowledgedBeforeKill.Count(id => !stored.Contains(id));
        var catchUp = Stopwatch.StartNew();
        await store.ProjectionsAgreeAsync(TimeSpan.FromSeconds(120), "the projections to agree with the events");

        Figures.Print(output, "crash: SIGKILL mid-load, restart, clients retry",
            ("statements", Statements), ("clients", Clients), ("requests", load.Requests), ("failed attempts (retried)", load.FailedAttempts),
            ("5xx during the outage (retried)", load.ServerErrorsDuringOutage), ("no answer outside the outage (retried)", load.TransportFailuresOutsideOutage),
            ("acknowledged", load.Acknowledged.Count), ("acknowledged before the kill", acknowledgedBeforeKill.Length),
            ("retries answered 200 (already recorded)", load.AlreadyRecorded), ("stored statements", stored.Count), ("stored events", events),
            ("lost", lost), ("lost of those acknowledged before the kill", lostBeforeKill), ("duplicates", duplicates),
            ("killed at", $"{killedAt.TotalSeconds:F1} s"), ("restart (process start to live)", $"{restartTook.TotalSeconds:F1} s"),
            ("recovery (kill to first ack after it)", $"{(load.FirstAcknowledgedAfterOutage - killedAt)?.TotalSeconds:F1} s"),
            ("load time", $"{loadTime.TotalSeconds:F1} s"), ("projection catch-up after load", $"{catchUp.Elapsed.TotalSeconds:F1} s"));

        load.Acknowledged.Count.ShouldBe(Statements);
        acknowledgedBeforeKill.Length.ShouldBeGreaterThanOrEqualTo(Statements / 2);
        acknowledgedBeforeKill.Length.ShouldBeLessThan(Statements, "the kill came before the load ended");
        lost.ShouldBe(0);
        duplicates.ShouldBe(0);
        stored.Count.ShouldBe(Statements);
        events.ShouldBe(Statements);
    }
}
