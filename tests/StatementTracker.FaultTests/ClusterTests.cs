using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shouldly;

namespace StatementTracker.FaultTests;

public class ClusterTests(TestDatabase database, ITestOutputHelper output)
{
    private const string Projection = "PositionHistory";
    private const int Clients = 8;
    /// <summary>The load's cap: far more than it needs, it stops once the takeover is done and more was recorded after it.</summary>
    private const int MaxStatements = 100_000;
    private const int AcknowledgedBeforeKill = 300;
    private const int AcknowledgedAfterTakeover = 200;
    private static readonly TimeSpan TakeoverLimit = TimeSpan.FromSeconds(30);

    [BoundedFact(Timeout = TestBounds.FaultTest)]
    public async Task three_nodes_run_each_projection_once_and_a_killed_node_s_projection_moves_within_thirty_seconds()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var connectionString = await database.CreateDatabaseAsync("cluster");
        var store = new Store(connectionString);
        var nodes = Enumerable.Range(1, 3).Select(i => new ServiceNode(connectionString, $"cluster-{i}")).ToArray();
        using var stopSampling = new CancellationTokenSource();
        using var stopLoad = new CancellationTokenSource();
        try
        {
            foreach (var node in nodes) await node.StartAsync();
            var byNumber = await NodeNumbersAsync(nodes);
            await Eventually.TrueAsync(async () => await AssignedNodeAsync(store) is { } n && byNumber.ContainsKey(n), TakeoverLimit, "the cluster to assign the projection to a node");

            var load = new RetryingLoad(nodes, i => StatementBodies.Valid(i % 2 == 0 ? "taiwan" : "ukraine-war", i % 3 == 0 ? "JPN" : "PHL", $"2024-{1 + i % 12:D2}-01"));
            var samples = new ConcurrentBag<Sample>();
            var sampler = SampleAsync(nodes, samples, load.Clock, stopSampling.Token);

            var running = load.RunAsync(Clients, MaxStatements, cancellation, stopLoad.Token);

            // The survivors answer all along: no 5xx is excused, so the load declares no outage.
            ServiceNode? victim = null, successor = null;
            int atKill = 0, atTakeover = 0;
            TimeSpan takeover = default;
            async Task KillTheRunner()
            {
                // However this ends, the load stops: it must not run on to its cap after a failed takeover.
                try { await KillAndAwaitTakeover(); }
                finally { await stopLoad.CancelAsync(); }
            }
            async Task KillAndAwaitTakeover()
            {
                if (await Task.WhenAny(load.AcknowledgedAtLeast(AcknowledgedBeforeKill), running) == running) return;
                victim = byNumber[(await AssignedNodeAsync(store))!.Value];
                victim.Kill();
                atKill = load.Acknowledged.Count;
                var killedAt = load.Clock.Elapsed;
                await Eventually.TrueAsync(async () => await AssignedNodeAsync(store) is { } n && byNumber[n] != victim,
                    TakeoverLimit + TimeSpan.FromSeconds(30), "the cluster to assign the killed node's projection to another node");
                successor = byNumber[(await AssignedNodeAsync(store))!.Value];
                await Eventually.TrueAsync(() => RunsHereAsync(successor), TimeSpan.FromSeconds(30), $"{successor.Name} to run the projection it was assigned");
                takeover = load.Clock.Elapsed - killedAt;
                atTakeover = load.Acknowledged.Count;
                await Task.WhenAny(load.AcknowledgedAtLeast(atTakeover + AcknowledgedAfterTakeover), running);
            }

            await Task.WhenAll(running, KillTheRunner());
            var acknowledged = load.Acknowledged.Count;
            var catchUp = Stopwatch.StartNew();
            await store.ProjectionsAgreeAsync(TimeSpan.FromSeconds(90), "the projections to catch up");
            var caughtUpAfter = catchUp.Elapsed;
            await stopSampling.CancelAsync();
            await sampler;
            var live = await ProjectionSnapshot.TakeAsync(connectionString);

            foreach (var node in nodes) node.Kill();
            var rebuild = await HostProcess.RunAsync(connectionString, "projections", "rebuild");
            rebuild.ExitCode.ShouldBe(0, rebuild.Output);
            var rebuilt = await ProjectionSnapshot.TakeAsync(connectionString);
            var stored = await store.StatementIdsAsync();
            var events = await store.ScalarAsync<long>("select count(*) from public.mt_events");
            var duplicates = await store.DuplicatesAsync();
            var complete = samples.Where(s => s.EveryLiveNodeAnswered).ToArray();

            Figures.Print(output, "cluster: three nodes, the projection's node killed under load",
                ("nodes", nodes.Length), ("requests", load.Requests), ("failed attempts (retried)", load.FailedAttempts),
                ("no answer (retried)", load.TransportFailuresOutsideOutage), ("statements acknowledged", acknowledged),
                ("acknowledged before the kill", atKill), ("acknowledged during the takeover", atTakeover - atKill),
                ("acknowledged after the takeover", acknowledged - atTakeover), ("statements stored", stored.Count), ("events stored", events),
                ("lost", load.Acknowledged.Keys.Count(id => !stored.Contains(id))), ("duplicates", duplicates),
                ("samples of who runs the projection", samples.Count), ("samples every live node answered", complete.Length),
                ("most nodes running it at once", samples.Max(s => s.Running)),
                ("killed node", victim?.Name ?? "-"), ("node that took over", successor?.Name ?? "-"),
                ("takeover (kill to running on the successor)", $"{takeover.TotalSeconds:F1} s"), ("catch-up after the load", $"{caughtUpAfter.TotalSeconds:F1} s"),
                ("live projections equal a single-node rebuild", live == rebuilt));

            victim.ShouldNotBeNull("the kill never came: the load ended first");
            takeover.ShouldBeLessThan(TakeoverLimit);
            (atTakeover - atKill).ShouldBeGreaterThan(0, "the load kept running through the takeover");
            (acknowledged - atTakeover).ShouldBeGreaterThanOrEqualTo(AcknowledgedAfterTakeover);
            samples.Max(s => s.Running).ShouldBe(1);
            complete.Length.ShouldBeGreaterThanOrEqualTo(10, "enough samples heard every live node to show who ran the projection");
            load.Acknowledged.Keys.ShouldAllBe(id => stored.Contains(id));
            stored.Count.ShouldBe(acknowledged);
            duplicates.ShouldBe(0);
            events.ShouldBe(acknowledged);
            rebuilt.Positions.ShouldBe(live.Positions);
            rebuilt.Statements.ShouldBe(live.Statements);
        }
        finally
        {
            // A test that fails midway leaves neither the sampler nor the load running.
            await stopSampling.CancelAsync();
            await stopLoad.CancelAsync();
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    /// <param name="Running">How many nodes said they run the projection; a node that did not answer is not counted.</param>
    private sealed record Sample(TimeSpan At, int Running, bool EveryLiveNodeAnswered);

    /// <summary>
    /// Asks every live node, all along, whether it runs the projection. A node that does not answer in time is
    /// left out of that sample: the count is then a lower bound, which can still show two nodes running it.
    /// </summary>
    private static async Task SampleAsync(ServiceNode[] nodes, ConcurrentBag<Sample> samples, Stopwatch clock, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var answers = await Task.WhenAll(nodes.Where(n => n.IsRunning).Select(async node =>
            {
                try { return await RunsHereAsync(node); }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException) { return (bool?)null; }
            }));
            samples.Add(new Sample(clock.Elapsed, answers.Count(a => a == true), answers.All(a => a is not null)));
            try { await Task.Delay(200, stop); } catch (OperationCanceledException) { }
        }
    }

    private static async Task<bool> RunsHereAsync(ServiceNode node)
    {
        using var client = node.CreateClient(TimeSpan.FromSeconds(5));
        var overview = await client.GetFromJsonAsync<JsonObject>("/admin/projections");
        return overview!["projections"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == Projection)!["runningHere"]!.GetValue<bool>();
    }

    /// <summary>Each node's cluster number, as its admin API reports it (asked until it answers).</summary>
    private static async Task<Dictionary<int, ServiceNode>> NodeNumbersAsync(ServiceNode[] nodes)
    {
        var byNumber = new Dictionary<int, ServiceNode>();
        foreach (var node in nodes)
        {
            using var client = node.CreateClient(TimeSpan.FromSeconds(5));
            await Eventually.TrueAsync(async () =>
            {
                var number = (await client.GetFromJsonAsync<JsonObject>("/admin/projections"))!["node"]!.GetValue<int>();
                if (number <= 0) return false;
                byNumber[number] = node;
                return true;
            }, TimeSpan.FromSeconds(30), $"{node.Name} to report its cluster node number");
        }
        byNumber.Count.ShouldBe(nodes.Length, "every node has a number of its own");
        return byNumber;
    }

    /// <summary>
    /// A node killed while it holds the positions' agent is still on the cluster's record as holding it until the
    /// cluster finds it dead. A node started meanwhile on a projection far behind catches it up by a rebuild, which
    /// first asks the dead node to stop the agent and hears nothing back: the rebuild waits for the cluster to eject
    /// that node instead of failing (and leaving the projection paused), and the positions catch up.
    /// </summary>
    [BoundedFact(Timeout = TestBounds.FaultTest)]
    public async Task a_node_started_just_after_the_projection_s_node_was_killed_catches_it_up_in_bulk()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var connectionString = await database.CreateDatabaseAsync("orphaned");
        var store = new Store(connectionString);
        await using var first = new ServiceNode(connectionString, "first");
        await first.StartAsync();
        using (var client = first.CreateClient())
            for (var i = 0; i < 120; i++)
                (await client.PostAsJsonAsync("/statements", StatementBodies.Valid("taiwan", i % 2 == 0 ? "JPN" : "PHL", $"2024-{1 + i % 12:D2}-01"), cancellation)).EnsureSuccessStatusCode();
        await store.ProjectionsAgreeAsync(TimeSpan.FromSeconds(30), "the first node to project what it recorded");
        await Eventually.TrueAsync(async () => await AssignedNodeAsync(store) is not null, TakeoverLimit, "the cluster to record the projection as the first node's");

        first.Kill();
        // As after an import, or a projection made anew: every event is still to be applied.
        await store.ScalarAsync<long>(
            "truncate public.st_position_entries, public.st_position_shifts, public.st_position_summaries, public.st_position_years;" +
            "delete from public.mt_event_progression where name like 'PositionHistory%'; select 0::bigint");
        await using var second = new ServiceNode(connectionString, "second", new Dictionary<string, string> { ["Projections:BulkCatchUpAfter"] = "50" });
        await second.StartAsync();

        await store.ProjectionsAgreeAsync(TimeSpan.FromSeconds(90), "the second node to catch the positions up");
        // Its record is closed a moment after the swap.
        await Eventually.TrueAsync(async () => await store.ScalarAsync<string>(
                "select status || ' by ' || requested_by from public.st_projection_rebuilds where name = 'PositionHistory'") == "completed by bulk catch-up",
            TimeSpan.FromSeconds(10), "the bulk catch-up to be recorded as completed");
    }

    /// <summary>
    /// Every rebuild builds in the same shadow schema, so two nodes asked at once to rebuild different projections
    /// take turns: neither drops the other's half-built tables, both complete, and what they built agrees with the events.
    /// </summary>
    [BoundedFact(Timeout = TestBounds.FaultTest)]
    public async Task rebuilds_of_two_projections_asked_of_two_nodes_at_once_both_complete()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var connectionString = await database.CreateDatabaseAsync("tworebuilds");
        var store = new Store(connectionString);
        await using var first = new ServiceNode(connectionString, "rebuilds-first");
        await using var second = new ServiceNode(connectionString, "rebuilds-second");
        await Task.WhenAll(first.StartAsync(), second.StartAsync());
        using var firstClient = first.CreateClient();
        using var secondClient = second.CreateClient();
        // Enough statements that the two rebuilds overlap.
        for (var batch = 0; batch < 4; batch++)
        {
            var items = new JsonArray(Enumerable.Range(0, 1000).Select(i => (JsonNode)StatementBodies.Valid(
                $"topic-{i % 50}", i % 3 == 0 ? "JPN" : "PHL", $"20{10 + i % 15}-{1 + i % 12:D2}-01")).ToArray());
            (await firstClient.PostAsJsonAsync("/statements/batch", items, cancellation)).EnsureSuccessStatusCode();
        }
        await store.ProjectionsAgreeAsync(TimeSpan.FromSeconds(60), "the projections to apply what was recorded");

        var asked = await Task.WhenAll(
            firstClient.PostAsync("/admin/projections/PositionHistory/rebuild", null, cancellation),
            secondClient.PostAsync("/admin/projections/Statement/rebuild", null, cancellation));
        asked.ShouldAllBe(response => (int)response.StatusCode == 202);

        await Eventually.TrueAsync(async () => await store.ScalarAsync<long>(
                "select count(*) from public.st_projection_rebuilds where status <> 'rebuilding'") == 2,
            TimeSpan.FromSeconds(90), "both rebuilds to end");
        (await store.ListAsync<string>("select name || ' ' || status from public.st_projection_rebuilds order by name"))
            .ShouldBe(["PositionHistory completed", "Statement completed"]);
        await store.ProjectionsAgreeAsync(TimeSpan.FromSeconds(30), "the rebuilt projections to agree with the events");
    }

    /// <summary>The number of the node the cluster assigned the projection to: Wolverine's own record in the database.</summary>
    private static async Task<int?> AssignedNodeAsync(Store store)
    {
        var assigned = await store.ListAsync<int>(
            $"""
             select n.node_number from public.wolverine_node_assignments a
             join public.wolverine_nodes n on n.id = a.node_id
             where a.id like 'event-subscriptions://%/{Projection.ToLowerInvariant()}/all'
             """);
        return assigned.Count == 0 ? null : assigned.Single();
    }
}
