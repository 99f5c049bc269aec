using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shouldly;

namespace StatementTracker.FaultTests;

public class ClusterTests(TestDatabase database, ITestOutputHelper output)
{
    private const string Projection = "PositionHistory";
    private const int Statements = 900;
    private static readonly TimeSpan TakeoverLimit = TimeSpan.FromSeconds(30);
    /// <summary>How long a client keeps retrying one statement before the test fails.</summary>
    private static readonly TimeSpan RetryDeadline = TimeSpan.FromSeconds(90);

    /// <summary>Which of the live nodes say they run the projection right now.</summary>
    private static async Task<ServiceNode[]> RunningAsync(IEnumerable<ServiceNode> nodes)
    {
        var running = new List<ServiceNode>();
        foreach (var node in nodes.Where(n => n.IsRunning))
        {
            try
            {
                using var client = node.CreateClient(TimeSpan.FromSeconds(5));
                var overview = await client.GetFromJsonAsync<JsonObject>("/admin/projections");
                var status = overview!["projections"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == Projection)!;
                if (status["runningHere"]!.GetValue<bool>()) running.Add(node);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
        }
        return [.. running];
    }

    [BoundedFact(Timeout = TestBounds.FaultTest)]
    public async Task three_nodes_run_each_projection_once_and_a_killed_node_s_projection_moves_within_thirty_seconds()
    {
        // Stops the load loops when the test's time bound passes.
        var cancellation = TestContext.Current.CancellationToken;
        var connectionString = await database.CreateDatabaseAsync("cluster");
        var store = new Store(connectionString);
        var nodes = Enumerable.Range(1, 3).Select(i => new ServiceNode(connectionString, $"cluster-{i}")).ToArray();
        try
        {
            foreach (var node in nodes) await node.StartAsync();
            var clock = Stopwatch.StartNew();
            await store.WaitUntilAsync(async () => (await RunningAsync(nodes)).Length == 1, TakeoverLimit, "one node to run the projection");

            // Sample, all along, how many nodes run the projection at once.
            var samples = new ConcurrentBag<(TimeSpan At, int Running)>();
            using var stopSampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!stopSampling.IsCancellationRequested)
                {
                    samples.Add((clock.Elapsed, (await RunningAsync(nodes)).Length));
                    await Task.Delay(100, cancellation);
                }
            });

            // Load spread over the nodes that are up; a failed request is retried on another node.
            var pending = new ConcurrentQueue<int>(Enumerable.Range(0, Statements));
            var acknowledged = new ConcurrentDictionary<Guid, bool>();
            var killNow = new TaskCompletionSource();
            async Task Client(int number)
            {
                var clients = nodes.ToDictionary(n => n, n => n.CreateClient(TimeSpan.FromSeconds(10)));
                while (pending.TryDequeue(out var index))
                {
                    var body = StatementBodies.Valid(index % 2 == 0 ? "taiwan" : "ukraine-war", index % 3 == 0 ? "JPN" : "PHL", $"2024-{1 + index % 12:D2}-01");
                    var giveUpAt = clock.Elapsed + RetryDeadline;
                    for (var attempt = number + index; ; attempt++)
                    {
                        if (clock.Elapsed > giveUpAt)
                            throw new TimeoutException($"Statement {index} was not acknowledged by any node within {RetryDeadline.TotalSeconds} s of retries.");
                        var node = nodes[attempt % nodes.Length];
                        if (!node.IsRunning)
                        {
                            await Task.Delay(50, cancellation);
                            continue;
                        }
                        try
                        {
                            using var response = await clients[node].PostAsJsonAsync("/statements", body, cancellation);
                            if (response.IsSuccessStatusCode)
                            {
                                acknowledged[Guid.Parse(body["statementId"]!.GetValue<string>())] = true;
                                if (acknowledged.Count >= Statements / 3) killNow.TrySetResult();
                                break;
                            }
                        }
                        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                        {
                        }
                        await Task.Delay(50, cancellation);
                    }
                }
                foreach (var client in clients.Values) client.Dispose();
            }

            TimeSpan takeover = default;
            ServiceNode? victim = null, successor = null;
            async Task KillTheRunner(Task load)
            {
                if (await Task.WhenAny(killNow.Task, load) != killNow.Task) return;
                victim = (await RunningAsync(nodes)).Single();
                victim.Kill();
                var killedAt = clock.Elapsed;
                await store.WaitUntilAsync(async () => (await RunningAsync(nodes)).Length == 1, TakeoverLimit + TimeSpan.FromSeconds(30), "another node to take the projection over");
                takeover = clock.Elapsed - killedAt;
                successor = (await RunningAsync(nodes)).Single();
            }

            var load = Task.WhenAll(Enumerable.Range(0, 8).Select(Client));
            await Task.WhenAll(load, KillTheRunner(load));
            var catchUp = Stopwatch.StartNew();
            await store.WaitUntilAsync(async () => await store.ProjectionDisagreementsAsync() == 0, TimeSpan.FromSeconds(90), "the projections to catch up");
            var caughtUpAfter = catchUp.Elapsed;
            await stopSampling.CancelAsync();
            await sampler;
            var live = await ProjectionSnapshot.TakeAsync(connectionString);

            foreach (var node in nodes) node.Kill();
            var rebuild = await HostProcess.RunAsync(connectionString, "projections", "rebuild");
            rebuild.ExitCode.ShouldBe(0, rebuild.Output);
            var rebuilt = await ProjectionSnapshot.TakeAsync(connectionString);
            var stored = await store.StatementIdsAsync();

            Figures.Print(output, "cluster: three nodes, the projection's node killed under load",
                ("nodes", nodes.Length), ("statements acknowledged", acknowledged.Count), ("statements stored", stored.Count),
                ("lost", acknowledged.Keys.Count(id => !stored.Contains(id))),
                ("samples of who runs the projection", samples.Count), ("most nodes running it at once", samples.Max(s => s.Running)),
                ("killed node", victim?.Name ?? "-"), ("node that took over", successor?.Name ?? "-"),
                ("takeover", $"{takeover.TotalSeconds:F1} s"), ("catch-up after the load", $"{caughtUpAfter.TotalSeconds:F1} s"),
                ("live projections equal a single-node rebuild", live == rebuilt));

            samples.Max(s => s.Running).ShouldBe(1);
            successor.ShouldNotBeNull();
            successor.ShouldNotBe(victim);
            takeover.ShouldBeLessThan(TakeoverLimit);
            acknowledged.Keys.ShouldAllBe(id => stored.Contains(id));
            rebuilt.Positions.ShouldBe(live.Positions);
            rebuilt.Statements.ShouldBe(live.Statements);
        }
        finally
        {
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }
}
