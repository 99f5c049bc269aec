using System.Text.Json.Nodes;
using Marten;
using Npgsql;
using Shouldly;
using StatementTracker.Statements;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

/// <summary>A statement's stream stays bounded: its sources, its events, and what one read of it loads.</summary>
[Collection(StreamLimitsCollection.Name)]
public class StatementStreamLimitsTests(StreamLimitsFixture app)
{
    private static JsonObject Source(int n) => new() { ["publisher"] = $"Wire {n}", ["url"] = $"https://example.org/report/{n}" };

    private async Task<long> EventCountOf(Guid id)
    {
        await using var session = app.Store.QuerySession();
        return (await session.Events.FetchStreamStateAsync(id))!.Version;
    }

    [BoundedFact]
    public async Task adding_a_source_past_the_limit_of_20_answers_409_naming_it_and_appends_nothing()
    {
        var sources = new JsonArray(Enumerable.Range(1, StatementRules.MaxSources - 1).Select(n => (JsonNode)Source(n)).ToArray());
        var id = await app.Host.RecordAsync(StatementBodies.Valid(topic: StatementBodies.UniqueTopic()).With("sources", sources));
        (await app.Host.PostJsonAsync($"/statements/{id}/sources", Source(100))).Status.ShouldBe(201);

        var (status, problem, _) = await app.Host.PostJsonAsync($"/statements/{id}/sources", Source(101));

        status.ShouldBe(409);
        problem!["detail"]!.GetValue<string>().ShouldContain($"{StatementRules.MaxSources} sources");
        (await EventCountOf(id)).ShouldBe(2);
        // A report already cited is still answered as before: kept once, nothing appended.
        (await app.Host.PostJsonAsync($"/statements/{id}/sources", Source(100))).Status.ShouldBe(200);
    }

    [BoundedFact]
    public async Task a_change_past_the_events_per_statement_limit_answers_409_naming_it()
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid(topic: StatementBodies.UniqueTopic()));
        var version = await app.Host.CorrectAsync(id, 1, new JsonObject { ["occasion"] = "press conference" });
        (await app.Host.PostJsonAsync($"/statements/{id}/sources", Source(1))).Status.ShouldBe(201);
        await app.Host.CorrectAsync(id, version + 1, new JsonObject { ["occasion"] = "briefing" });

        var (corrected, correctionProblem, _) = await app.Host.PostJsonAsync($"/statements/{id}/corrections",
            new JsonObject { ["occasion"] = "interview", ["reason"] = "one too many", ["expectedVersion"] = StreamLimitsFixture.MaxEventsPerStatement });
        var (added, _, _) = await app.Host.PostJsonAsync($"/statements/{id}/sources", Source(2));
        var (retracted, _, _) = await app.Host.PostJsonAsync($"/statements/{id}/retraction", new JsonObject { ["reason"] = "too late" });

        corrected.ShouldBe(409);
        correctionProblem!["detail"]!.GetValue<string>().ShouldContain("Limits:MaxEventsPerStatement");
        added.ShouldBe(409);
        retracted.ShouldBe(409);
        (await EventCountOf(id)).ShouldBe(StreamLimitsFixture.MaxEventsPerStatement);
    }

    [BoundedFact]
    public async Task reading_a_statement_now_serves_the_stored_snapshot_and_the_past_from_its_events()
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid(topic: StatementBodies.UniqueTopic(), position: "will closely monitor the situation"));
        // Change the stored document behind the events' back: only a read of the snapshot can see it.
        var table = app.Store.Options.FindOrResolveDocumentType(typeof(Statement)).TableName.QualifiedName;
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var update = new NpgsqlCommand(
                $"update {table} set data = jsonb_set(data, '{{position}}', '\"read from the snapshot\"') where id = @id", connection);
            update.Parameters.AddWithValue("id", id);
            (await update.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        (await app.Host.GetJsonAsync($"/statements/{id}"))["position"]!.GetValue<string>().ShouldBe("read from the snapshot");
        (await app.Host.GetJsonAsync($"/statements/{id}?version=1"))["position"]!.GetValue<string>().ShouldBe("will closely monitor the situation");
    }

    [BoundedFact]
    public async Task the_history_comes_a_page_at_a_time_after_a_version()
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid(topic: StatementBodies.UniqueTopic()));
        for (var n = 1; n < StreamLimitsFixture.MaxEventsPerStatement; n++)
            (await app.Host.PostJsonAsync($"/statements/{id}/sources", Source(n))).Status.ShouldBe(201);

        var first = await app.Host.GetJsonAsync($"/statements/{id}/history?limit=3");
        var second = await app.Host.GetJsonAsync($"/statements/{id}/history?limit=3&after={first["nextAfter"]}");
        var whole = await app.Host.GetJsonAsync($"/statements/{id}/history");
        var pastTheEnd = await app.Host.GetJsonAsync($"/statements/{id}/history?after=10");

        Versions(first).ShouldBe([1, 2, 3]);
        first["nextAfter"]!.GetValue<long>().ShouldBe(3);
        Versions(second).ShouldBe([4]);
        second["nextAfter"].ShouldBeNull();
        Versions(whole).ShouldBe([1, 2, 3, 4]);
        Versions(pastTheEnd).ShouldBeEmpty();
        (await app.Host.SendAsync(HttpMethod.Get, $"/statements/{id}/history?limit=0")).Status.ShouldBe(400);
        (await app.Host.SendAsync(HttpMethod.Get, $"/statements/{Guid.NewGuid()}/history?after=2")).Status.ShouldBe(404);
    }

    private static long[] Versions(JsonNode page) => page["events"]!.AsArray().Select(e => e!["version"]!.GetValue<long>()).ToArray();
}
