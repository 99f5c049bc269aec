using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Shouldly;

namespace StatementTracker.FaultTests;

public class AlertDeliveryTests(TestDatabase database, ITestOutputHelper output)
{
    [BoundedFact(Timeout = TestBounds.FaultTest)]
    public async Task an_alert_waiting_to_be_retried_is_delivered_once_after_the_service_is_killed_and_restarted()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var connectionString = await database.CreateDatabaseAsync("alerts");
        await using var receiver = new AlertReceiver { DefaultAnswer = 503 };
        await using var node = new ServiceNode(connectionString, "alerts");
        await node.StartAsync();
        using var client = node.CreateClient();
        var topic = StatementBodies.UniqueTopic("crash-alerts");

        (await client.PostAsJsonAsync("/subscriptions", new JsonObject { ["url"] = receiver.Url.ToString(), ["secret"] = "crash-secret", ["topic"] = topic }, cancellation))
            .StatusCode.ShouldBe(System.Net.HttpStatusCode.Created);
        foreach (var (statedOn, stance) in new[] { ("2024-01-01", "monitor"), ("2024-02-01", "oppose") })
            (await client.PostAsJsonAsync("/statements", StatementBodies.Valid(topic, "MLT", statedOn).With("stance", stance), cancellation)).EnsureSuccessStatusCode();

        var refused = await receiver.WaitUntilAsync(r => r.Count >= 1, TimeSpan.FromSeconds(30), "the first, refused, attempt");
        node.Kill();
        var attemptsBeforeKill = receiver.Received.Count;
        receiver.DefaultAnswer = 200;
        var clock = Stopwatch.StartNew();
        await node.StartAsync();
        var restarted = clock.Elapsed;

        var delivered = await receiver.WaitUntilAsync(r => r.Any(a => a.AnsweredWith == 200), TimeSpan.FromSeconds(120), "the delivery after the restart");
        var deliveredAfter = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(5), cancellation);
        var all = receiver.Received;

        Figures.Print(output, "alerts: SIGKILL while an alert waits to be retried, then restart",
            ("attempts before the kill (refused)", attemptsBeforeKill), ("restart (process start to live)", $"{restarted.TotalSeconds:F1} s"),
            ("kill to delivery", $"{deliveredAfter.TotalSeconds:F1} s"), ("attempts in all", all.Count),
            ("accepted deliveries", all.Count(a => a.AnsweredWith == 200)), ("distinct alert ids", all.Select(a => a.AlertId).Distinct().Count()));

        refused[0].AnsweredWith.ShouldBe(503);
        all.Count(a => a.AnsweredWith == 200).ShouldBe(1);
        all.Select(a => a.AlertId).Distinct().ShouldHaveSingleItem();
        all.Select(a => a.Body).Distinct().ShouldHaveSingleItem();
        all.Last().AnsweredWith.ShouldBe(200);
        _ = delivered;
    }
}
