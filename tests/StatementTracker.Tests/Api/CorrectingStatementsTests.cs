using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Shouldly;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

[Collection(ApiCollection.Name)]
public class CorrectingStatementsTests(AppFixture app)
{
    private static JsonObject Correction(long? expectedVersion, string reason = "the report gave the wrong date") => new()
    {
        ["expectedVersion"] = expectedVersion,
        ["reason"] = reason,
    };

    [BoundedFact]
    public async Task a_correction_appends_statement_corrected_with_old_and_new_values_and_who_and_why()
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid(statedOn: "2024-07-04"));

        var (status, answer, response) = await app.Host.PostJsonAsync($"/statements/{id}/corrections",
            Correction(1).With("statedOn", "2024-07-03").With("quote", "We will closely monitor."));

        status.ShouldBe(200);
        answer!["version"]!.GetValue<long>().ShouldBe(2);
        response.Headers.ETag!.Tag.ShouldBe("\"2\"");
        var statement = await app.Host.GetJsonAsync($"/statements/{id}");
        statement["statedOn"]!.GetValue<string>().ShouldBe("2024-07-03");
        statement["quote"]!.GetValue<string>().ShouldBe("We will closely monitor.");
        statement["version"]!.GetValue<long>().ShouldBe(2);

        var corrected = (await app.HistoryEventsAsync(id))[1];
        corrected["type"]!.GetValue<string>().ShouldBe("statement_corrected");
        corrected["version"]!.GetValue<long>().ShouldBe(2);
        corrected["reason"]!.GetValue<string>().ShouldBe("the report gave the wrong date");
        corrected["actor"]!.GetValue<string>().ShouldBe(TestKeys.EditorActor);
        corrected["actorName"]!.GetValue<string>().ShouldBe(TestKeys.EditorName);
        corrected["data"]!["correctedBy"]!.GetValue<string>().ShouldBe(TestKeys.EditorActor);
        corrected["data"]!["before"]!["statedOn"]!.GetValue<string>().ShouldBe("2024-07-04");
        corrected["data"]!["after"]!["statedOn"]!.GetValue<string>().ShouldBe("2024-07-03");
        corrected["changes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>()).ShouldBe(["statedOn", "quote"]);
    }

    [BoundedFact]
    public async Task the_version_corrected_can_be_given_as_if_match_with_the_etag()
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid());
        var (_, _, read) = await app.Host.SendAsync(HttpMethod.Get, $"/statements/{id}");
        var etag = read.Headers.ETag!.Tag;

        using var client = app.Host.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/statements/{id}/corrections")
        {
            Content = new StringContent(Correction(null).With("position", "expresses concern").ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        request.Headers.Add("X-Api-Key", TestKeys.Editor);
        var response = await client.SendAsync(request);

        ((int)response.StatusCode).ShouldBe(200);
        (await app.Host.GetJsonAsync($"/statements/{id}"))["stance"]!.GetValue<string>().ShouldBe("concern");
    }

    [BoundedFact]
    public async Task a_stale_version_answers_409_naming_the_current_version_and_appends_nothing()
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid());
        await app.Host.CorrectAsync(id, 1, new JsonObject { ["position"] = "expresses concern" });

        var (status, problem, _) = await app.Host.PostJsonAsync($"/statements/{id}/corrections", Correction(1).With("position", "opposes it"));

        status.ShouldBe(409);
        problem!["currentVersion"]!.GetValue<long>().ShouldBe(2);
        problem["detail"]!.GetValue<string>().ShouldContain("version 2");
        (await app.HistoryEventsAsync(id)).Count.ShouldBe(2);
    }

    [BoundedFact]
    public async Task a_correction_without_a_version_or_reason_is_rejected_naming_both()
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid());

        var neither = await app.AssertWritesNothing(() => app.Host.PostJsonAsync($"/statements/{id}/corrections", new JsonObject { ["position"] = "opposes it" }));
        var noVersion = await app.AssertWritesNothing(() => app.Host.PostJsonAsync($"/statements/{id}/corrections",
            new JsonObject { ["position"] = "opposes it", ["reason"] = "typo" }));
        var noReason = await app.AssertWritesNothing(() => app.Host.PostJsonAsync($"/statements/{id}/corrections",
            new JsonObject { ["position"] = "opposes it", ["expectedVersion"] = 1 }));

        neither.ShouldBeProblem(400).ErrorFields().ShouldBe(["expectedVersion", "reason"]);
        noVersion.ShouldBeProblem(400).ErrorFields().ShouldBe(["expectedVersion"]);
        noReason.ShouldBeProblem(400).ErrorFields().ShouldBe(["reason"]);
    }

    [BoundedTheory]
    [InlineData("country", "Narnia", "country")]
    [InlineData("statedOn", "2999-01-01", "statedOn")]
    [InlineData("statedOn", "1700", "statedOn")]
    [InlineData("stance", "ambivalent", "stance")]
    [InlineData("position", "", "position")]
    [InlineData("postion", "typo", "postion")]
    public async Task a_correction_is_validated_like_a_recording(string field, string value, string failing)
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid());

        var (status, problem, response) = await app.Host.PostJsonAsync($"/statements/{id}/corrections", Correction(1).With(field, value));

        (status, problem, response).ShouldBeProblem(400).ErrorFields().ShouldBe([failing]);
        (await app.HistoryEventsAsync(id)).Count.ShouldBe(1);
    }

    [BoundedFact]
    public async Task bad_topics_in_a_correction_are_named_by_index()
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid());

        var (status, problem, _) = await app.Host.PostJsonAsync($"/statements/{id}/corrections", Correction(1).With("topics", new JsonArray("taiwan", "Bad Topic")));

        status.ShouldBe(400);
        problem!["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["topics[1]"]);
    }

    [BoundedFact]
    public async Task a_correction_that_changes_nothing_is_rejected()
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid(country: "JPN"));

        var same = await app.AssertWritesNothing(() => app.Host.PostJsonAsync($"/statements/{id}/corrections", Correction(1).With("country", "Japan")));
        var empty = await app.AssertWritesNothing(() => app.Host.PostJsonAsync($"/statements/{id}/corrections", Correction(1)));

        same.ShouldBeProblem(400).ErrorFields().ShouldBe(["$"]);
        empty.ShouldBeProblem(400).ErrorFields().ShouldBe(["$"]);
    }

    [BoundedTheory]
    [InlineData("0190a0a0-0000-7000-8000-0000000000ff")]
    [InlineData("nope")]
    public async Task correcting_an_unknown_statement_answers_404(string id)
    {
        (await app.Host.PostJsonAsync($"/statements/{id}/corrections", Correction(1).With("position", "x"))).ShouldBeProblem(404);
    }

    [BoundedFact]
    public async Task correcting_the_position_of_a_statement_whose_stance_was_inferred_infers_it_again()
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid());

        await app.Host.CorrectAsync(id, 1, new JsonObject { ["position"] = "condemns the joint bomber flights" });

        var statement = await app.Host.GetJsonAsync($"/statements/{id}");
        statement["stance"]!.GetValue<string>().ShouldBe("condemn");
        statement["stanceInferred"]!.GetValue<bool>().ShouldBeTrue();
    }

    [BoundedFact]
    public async Task an_empty_string_clears_an_optional_field()
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid().With("quote", "misquoted words"));

        await app.Host.CorrectAsync(id, 1, new JsonObject { ["quote"] = "" });

        (await app.Host.GetJsonAsync($"/statements/{id}"))["quote"].ShouldBeNull();
    }

    [BoundedFact]
    public async Task concurrent_corrections_from_the_same_version_let_exactly_one_win()
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid());
        var eventsBefore = await app.EventCountAsync();

        var overlap = new RequestOverlap();
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => overlap.TimeAsync(() =>
            app.Host.PostJsonAsync($"/statements/{id}/corrections", Correction(1).With("position", $"opposes proposal {i}")))));

        overlap.AllSentBeforeFirstAnswer.ShouldBeTrue($"the corrections were in flight at once: {overlap}");
        answers.Count(a => a.Status == 200).ShouldBe(1);
        answers.Count(a => a.Status == 409).ShouldBe(19);
        (await app.HistoryEventsAsync(id)).Count.ShouldBe(2);
        (await app.EventCountAsync()).ShouldBe(eventsBefore + 1);
    }
}
