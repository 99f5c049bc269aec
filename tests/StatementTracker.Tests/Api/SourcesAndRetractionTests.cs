using System.Text.Json.Nodes;
using Shouldly;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

[Collection(ApiCollection.Name)]
public class SourcesAndRetractionTests(AppFixture app)
{
    [BoundedFact]
    public async Task adding_a_source_cites_another_report_and_the_same_url_is_kept_once()
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid());
        var source = new JsonObject { ["publisher"] = "NHK", ["url"] = "https://www3.nhk.or.jp/news/html/20240704/k10014500001000.html", ["publishedOn"] = "2024-07-04" };

        var (added, answer, _) = await app.Host.PostJsonAsync($"/statements/{id}/sources", source);
        var (again, answerAgain, _) = await app.Host.PostJsonAsync($"/statements/{id}/sources",
            source.With("url", "https://WWW3.NHK.OR.JP/news/html/20240704/k10014500001000.html"));

        added.ShouldBe(201);
        answer!["version"]!.GetValue<long>().ShouldBe(2);
        again.ShouldBe(200);
        answerAgain!["version"]!.GetValue<long>().ShouldBe(2);
        var sources = (await app.Host.GetJsonAsync($"/statements/{id}"))["sources"]!.AsArray();
        sources.Select(s => s!["publisher"]!.GetValue<string>()).ShouldBe(["TV Asahi", "NHK"]);
        var history = await app.HistoryEventsAsync(id);
        history.Select(e => e["type"]!.GetValue<string>()).ShouldBe(["statement_recorded", "source_added"]);
        history[1]["actor"]!.GetValue<string>().ShouldBe(TestKeys.EditorActor);
        history[1]["actorName"]!.GetValue<string>().ShouldBe(TestKeys.EditorName);
        history[1]["data"]!["addedBy"]!.GetValue<string>().ShouldBe(TestKeys.EditorActor);
    }

    [BoundedTheory]
    [InlineData("{\"publisher\":\"NHK\",\"url\":\"ftp://example.org/x\"}", "url")]
    [InlineData("{\"publisher\":\"NHK\",\"publishedOn\":\"2999\"}", "publishedOn")]
    [InlineData("{}", "publisher")]
    [InlineData("{\"publisher\":\"NHK\",\"link\":\"https://x.org\"}", "link")]
    public async Task an_invalid_source_is_rejected_naming_the_field(string body, string field)
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid());

        (await app.Host.SendAsync(HttpMethod.Post, $"/statements/{id}/sources", body)).ShouldBeProblem(400).ErrorFields().ShouldBe([field]);
        (await app.HistoryEventsAsync(id)).Count.ShouldBe(1);
    }

    [BoundedFact]
    public async Task a_retracted_statement_leaves_every_position_but_stays_readable()
    {
        var topic = StatementBodies.UniqueTopic("retraction");
        var kept = await app.Host.RecordAsync(StatementBodies.Valid(topic, "VNM", "2024-07-01", position: "will closely monitor the situation"));
        var retracted = await app.Host.RecordAsync(StatementBodies.Valid(topic, "VNM", "2024-07-10", position: "opposes the patrols"));
        await app.WaitForProjectionsAsync();
        (await app.Host.GetJsonAsync($"/countries/VNM/positions/{topic}"))["shifts"]!.AsArray().Count.ShouldBe(1);

        var version = await app.Host.RetractAsync(retracted, "misattributed: the ministry spokesperson said it, not the minister");
        await app.WaitForProjectionsAsync();

        version.ShouldBe(2);
        var position = await app.Host.GetJsonAsync($"/countries/VNM/positions/{topic}");
        position["history"]!.AsArray().Select(e => e!["statementId"]!.GetValue<Guid>()).ShouldBe([kept]);
        position["current"]!["statementId"]!.GetValue<Guid>().ShouldBe(kept);
        position["shifts"]!.AsArray().ShouldBeEmpty();
        (await app.Host.GetJsonAsync($"/topics/{topic}/positions"))["stances"]!.AsObject().Select(s => s.Key).ShouldBe(["monitor"]);
        (await app.Host.GetJsonAsync($"/statements?topic={topic}&count=exact"))["total"]!.GetValue<long>().ShouldBe(1);
        (await app.Host.GetJsonAsync($"/statements?topic={topic}&status=retracted&count=exact"))["total"]!.GetValue<long>().ShouldBe(1);

        var statement = await app.Host.GetJsonAsync($"/statements/{retracted}");
        statement["status"]!.GetValue<string>().ShouldBe("retracted");
        statement["retraction"]!["reason"]!.GetValue<string>().ShouldStartWith("misattributed");
        var history = await app.HistoryEventsAsync(retracted);
        history[^1]["type"]!.GetValue<string>().ShouldBe("statement_retracted");
        history[^1]["reason"]!.GetValue<string>().ShouldStartWith("misattributed");
    }

    [BoundedFact]
    public async Task a_retracted_statement_cannot_be_corrected_or_retracted_again()
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid());
        await app.Host.RetractAsync(id);

        var (corrected, problem, _) = await app.Host.PostJsonAsync($"/statements/{id}/corrections",
            new JsonObject { ["expectedVersion"] = 2, ["reason"] = "fix", ["position"] = "opposes it" });
        var (again, _, _) = await app.Host.PostJsonAsync($"/statements/{id}/retraction", new JsonObject { ["reason"] = "again" });

        corrected.ShouldBe(409);
        problem!["detail"]!.GetValue<string>().ShouldContain("retracted");
        again.ShouldBe(409);
        (await app.HistoryEventsAsync(id)).Count.ShouldBe(2);
    }

    [BoundedFact]
    public async Task a_retraction_needs_a_reason()
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid());

        var (status, problem, _) = await app.Host.PostJsonAsync($"/statements/{id}/retraction", new JsonObject());

        status.ShouldBe(400);
        problem!["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["reason"]);
        (await app.Host.GetJsonAsync($"/statements/{id}"))["status"]!.GetValue<string>().ShouldBe("recorded");
    }

    [BoundedFact]
    public async Task the_history_lists_every_event_in_order_with_type_version_time_actor_reason_and_data()
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid());
        await app.Host.CorrectAsync(id, 1, new JsonObject { ["statedOn"] = "2024-07-05" }, "wrong day");
        await app.Host.PostJsonAsync($"/statements/{id}/sources", new JsonObject { ["publisher"] = "Kyodo" });
        await app.Host.RetractAsync(id, "duplicate of another statement");

        var history = await app.HistoryEventsAsync(id);

        history.Select(e => e["type"]!.GetValue<string>()).ShouldBe(["statement_recorded", "statement_corrected", "source_added", "statement_retracted"]);
        history.Select(e => e["version"]!.GetValue<long>()).ShouldBe([1L, 2L, 3L, 4L]);
        history.Select(e => e["reason"]?.GetValue<string>()).ShouldBe([null, "wrong day", null, "duplicate of another statement"]);
        history.ShouldAllBe(e => e["actor"]!.GetValue<string>() == TestKeys.EditorActor && e["actorName"]!.GetValue<string>() == TestKeys.EditorName);
        history.Select(e => e["timestamp"]!.GetValue<DateTimeOffset>()).ShouldBeInOrder();
        history[0]["data"]!["content"]!["position"]!.GetValue<string>().ShouldBe("will closely monitor the development of China-Russia relations");
        history[2]["data"]!["source"]!["publisher"]!.GetValue<string>().ShouldBe("Kyodo");
    }

    [BoundedFact]
    public async Task the_history_of_an_unknown_statement_is_404() =>
        (await app.Host.SendAsync(HttpMethod.Get, $"/statements/{Guid.CreateVersion7()}/history")).Status.ShouldBe(404);
}
