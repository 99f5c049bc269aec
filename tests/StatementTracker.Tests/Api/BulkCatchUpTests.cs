using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using StatementTracker.Admin;
using StatementTracker.Tests.Support;
using Wolverine.Runtime;
using Wolverine.Runtime.Agents;

namespace StatementTracker.Tests.Api;

/// <summary>A projection far behind the store catches up by a rebuild, not event by event, unless someone subscribes to alerts.</summary>
[Collection(BulkCatchUpCollection.Name)]
public class BulkCatchUpTests(BulkCatchUpFixture app)
{
    /// <summary>
    /// Stops the projection's agent once the node has started it: stopped before, it was started a moment later by
    /// the node's start-up, and applied the backlog itself.
    /// </summary>
    private async Task<Uri> StopPositionsAgentAsync()
    {
        var agent = (await app.Host.Services.GetRequiredService<IEventSubscriptionAgentFamily>().FindAgentUriAsync("PositionHistory:All", null, CancellationToken.None))!;
        var agents = app.Host.Services.GetRequiredService<IWolverineRuntime>().Agents;
        var clock = Stopwatch.StartNew();
        while (!agents.AllRunningAgentUris().Contains(agent))
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), "the node did not start the projection's agent");
            await Task.Delay(50);
        }
        await agents.StopLocallyAsync(agent);
        return agent;
    }

    private async Task<JsonNode> PositionsAsync() =>
        (await app.Host.GetJsonAsync("/admin/projections"))["projections"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "PositionHistory")!;

    /// <summary>Statements enough to put the stopped projection at least as far behind as it has gone, and past the threshold.</summary>
    private async Task<(string Topic, int Count)> RecordBacklogAsync(string country)
    {
        var applied = (await PositionsAsync())["position"]!.GetValue<long>();
        var count = (int)Math.Max(BulkCatchUpFixture.BulkCatchUpAfter, applied) + 50;
        var topic = StatementBodies.UniqueTopic("backlog");
        var start = new DateOnly(2021, 1, 1);
        foreach (var chunk in Enumerable.Range(0, count).Chunk(1000))
        {
            var batch = new JsonArray(chunk.Select(day => (JsonNode)StatementBodies.Valid(topic, country, start.AddDays(day).ToString("yyyy-MM-dd"),
                position: day % 3 == 0 ? "supports the talks" : "opposes the talks")).ToArray());
            var (status, answer, _) = await app.Host.SendAsync(HttpMethod.Post, "/statements/batch", batch.ToJsonString());
            status.ShouldBe(201, answer?.ToJsonString());
        }
        return (topic, count);
    }

    [BoundedFact]
    public async Task a_projection_far_behind_catches_up_by_a_rebuild_and_its_agent_goes_on_after_it()
    {
        await StopPositionsAgentAsync();
        var (topic, count) = await RecordBacklogAsync("NOR");

        var clock = Stopwatch.StartNew();
        JsonNode positions;
        while ((positions = await PositionsAsync())["lag"]!.GetValue<long>() > 0 || positions["lastRebuild"]?["status"]?.GetValue<string>() != "completed")
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(45), positions.ToJsonString());
            await Task.Delay(100);
        }

        positions["lastRebuild"]!["requestedBy"]!.GetValue<string>().ShouldBe(BulkCatchUp.RequestedBy);
        var position = await app.Host.GetJsonAsync($"/countries/NOR/positions/{topic}");
        position["historyTotal"]!.GetValue<int>().ShouldBe(count);
        var later = await app.Host.RecordAsync(StatementBodies.Valid(topic, "NOR", "2025-06-01"));
        await app.WaitForProjectionsAsync();
        (await app.Host.GetJsonAsync($"/countries/NOR/positions/{topic}"))["current"]!["statementId"]!.GetValue<Guid>().ShouldBe(later);
    }

    [BoundedFact]
    public async Task a_projection_far_behind_catches_up_event_by_event_while_someone_subscribes_to_alerts()
    {
        var (created, subscription, _) = await app.Host.PostJsonAsync("/subscriptions",
            new JsonObject { ["url"] = "http://127.0.0.1:9/hook", ["secret"] = "bulk-secret", ["topic"] = "nowhere" });
        created.ShouldBe(201, subscription?.ToJsonString());
        var agent = await StopPositionsAgentAsync();
        try
        {
            var rebuildsBefore = (await PositionsAsync())["lastRebuild"]?["startedAt"]?.GetValue<string>();
            var (topic, count) = await RecordBacklogAsync("DNK");
            await Task.Delay(TimeSpan.FromSeconds(1)); // five looks at the backlog

            (await PositionsAsync())["lastRebuild"]?["startedAt"]?.GetValue<string>().ShouldBe(rebuildsBefore, "no rebuild started");
            await app.Host.Services.GetRequiredService<IWolverineRuntime>().Agents.StartLocallyAsync(agent);
            await app.WaitForProjectionsAsync();
            (await app.Host.GetJsonAsync($"/countries/DNK/positions/{topic}"))["historyTotal"]!.GetValue<int>().ShouldBe(count);
        }
        finally
        {
            (await app.Host.SendAsync(HttpMethod.Delete, $"/subscriptions/{subscription!["id"]!.GetValue<Guid>()}")).Status.ShouldBe(204);
        }
    }

    /// <summary>
    /// The daemon records no high-water mark while its agent is stopped. A rebuild that went through the recorded
    /// mark went through none of the events then, and set the projection's progress back to nothing.
    /// </summary>
    [BoundedFact]
    public async Task a_catch_up_goes_through_every_committed_event_when_the_daemon_has_recorded_no_mark()
    {
        await StopPositionsAgentAsync();
        await using (var connection = new Npgsql.NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var forget = new Npgsql.NpgsqlCommand("delete from public.mt_event_progression where name = 'HighWaterMark'", connection);
            await forget.ExecuteNonQueryAsync();
        }
        var startedBefore = (await PositionsAsync())["lastRebuild"]?["startedAt"]?.GetValue<string>();
        var (topic, count) = await RecordBacklogAsync("SWE");
        var head = (await app.Host.GetJsonAsync("/admin/projections"))["highWaterMark"]!.GetValue<long>();

        var clock = Stopwatch.StartNew();
        JsonNode positions;
        while ((positions = await PositionsAsync())["lastRebuild"]?["startedAt"]?.GetValue<string>() == startedBefore
               || positions["lastRebuild"]!["status"]!.GetValue<string>() == ProjectionRebuilds.Rebuilding)
        {
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(45), positions.ToJsonString());
            await Task.Delay(100);
        }

        positions["lastRebuild"]!["status"]!.GetValue<string>().ShouldBe("completed", positions.ToJsonString());
        positions["lastRebuild"]!["total"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(head, positions.ToJsonString());
        await app.WaitForProjectionsAsync();
        (await app.Host.GetJsonAsync($"/countries/SWE/positions/{topic}"))["historyTotal"]!.GetValue<int>().ShouldBe(count);
    }

    [BoundedTheory]
    [InlineData(BulkCatchUp.RequestedBy, ProjectionRebuilds.Failed, 1, true)]
    [InlineData(BulkCatchUp.RequestedBy, ProjectionRebuilds.Failed, 11, false)]
    [InlineData(BulkCatchUp.RequestedBy, ProjectionRebuilds.Completed, 1, false)]
    [InlineData("admin", ProjectionRebuilds.Failed, 1, false)]
    public void a_bulk_catch_up_is_not_tried_again_for_ten_minutes_after_it_failed(string requestedBy, string status, int minutesAgo, bool holdsBack)
    {
        var now = DateTimeOffset.UtcNow;
        var last = new RebuildRecord("PositionHistory", status, now.AddMinutes(-minutesAgo - 1), now.AddMinutes(-minutesAgo), requestedBy, null, null, 0, 0);
        BulkCatchUp.FailedLately(last, now).ShouldBe(holdsBack);
    }

    [BoundedTheory]
    [InlineData(0, 100_000, 100_000, true)]
    [InlineData(0, 99_999, 100_000, false)]
    [InlineData(400_000, 1_000_000, 100_000, true)]
    [InlineData(600_000, 1_000_000, 100_000, false)]
    [InlineData(0, 1_000_000, 0, false)]
    public void a_rebuild_is_worth_it_once_the_backlog_passes_the_threshold_and_what_was_applied(long applied, long head, long threshold, bool worth) =>
        BulkCatchUp.WorthRebuilding(applied, head, threshold).ShouldBe(worth);
}
