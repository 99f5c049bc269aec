using System.Text.Json.Nodes;
using Shouldly;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

/// <summary><c>POST /statements/batch</c>: many statements, all or nothing, in one transaction.</summary>
[Collection(ApiCollection.Name)]
public class BatchRecordingTests(AppFixture app)
{
    private static JsonArray Array(params JsonObject[] items) => new(items.Select(i => (JsonNode)i.DeepClone()).ToArray());

    private static string Lines(params JsonObject[] items) => string.Join("\n", items.Select(i => i.ToJsonString())) + "\n";

    private static string[] Outcomes(JsonNode answer) =>
        answer["items"]!.AsArray().Select(i => $"{i!["id"]}:{i["outcome"]}").ToArray();

    private static string Id(JsonObject body) => body["statementId"]!.GetValue<string>();

    [BoundedFact]
    public async Task a_batch_records_every_new_statement_in_one_go_and_answers_each_outcome_in_order()
    {
        var topic = StatementBodies.UniqueTopic("batch");
        var earlier = StatementBodies.Valid(topic, "MNG", "2024-01-01");
        await app.Host.RecordAsync(earlier);
        var first = StatementBodies.Valid(topic, "MNG", "2024-02-01");
        var second = StatementBodies.Valid(topic, "KGZ", "2024-03-01", position: "opposes the plan");
        var before = await app.EventCountAsync();

        var (status, answer, _) = await app.Host.PostJsonAsync("/statements/batch", Array(first, earlier, second));

        status.ShouldBe(201, answer?.ToJsonString());
        Outcomes(answer!).ShouldBe([$"{Id(first)}:recorded", $"{Id(earlier)}:alreadyRecorded", $"{Id(second)}:recorded"]);
        answer!["items"]!.AsArray().ShouldAllBe(i => i!["version"]!.GetValue<long>() == 1);
        (await app.EventCountAsync()).ShouldBe(before + 2);
        (await app.Host.GetJsonAsync($"/statements/{Id(second)}"))["position"]!.GetValue<string>().ShouldBe("opposes the plan");
    }

    [BoundedFact]
    public async Task json_lines_batches_record_the_same_way()
    {
        var topic = StatementBodies.UniqueTopic("ndjson");
        var items = Enumerable.Range(1, 3).Select(d => StatementBodies.Valid(topic, "MNG", $"2024-01-{d:D2}")).ToArray();

        var (status, answer, _) = await app.Host.SendAsync(HttpMethod.Post, "/statements/batch", Lines(items) + "\n", "application/x-ndjson");

        status.ShouldBe(201, answer?.ToJsonString());
        Outcomes(answer!).ShouldBe(items.Select(i => $"{Id(i)}:recorded"));
        await app.WaitForProjectionsAsync();
        (await app.Host.GetJsonAsync($"/countries/MNG/positions/{topic}"))["historyTotal"]!.GetValue<int>().ShouldBe(3);
    }

    [BoundedFact]
    public async Task an_invalid_item_refuses_the_whole_batch_naming_each_item_and_field_and_writes_nothing()
    {
        var topic = StatementBodies.UniqueTopic("invalid");
        var good = StatementBodies.Valid(topic);
        var noCountry = StatementBodies.Valid(topic).Without("country");
        var badTopic = StatementBodies.Valid(topic).With("topics", new JsonArray("Not A Slug"));
        var before = await app.EventCountAsync();

        var (status, problem, _) = await app.Host.PostJsonAsync("/statements/batch", Array(good, noCountry, badTopic));

        status.ShouldBe(400);
        problem!["errors"]!.AsObject().Select(e => e.Key).Order().ShouldBe(["[1].country", "[2].topics[0]"]);
        (await app.EventCountAsync()).ShouldBe(before);

        var (lineStatus, lineProblem, _) = await app.Host.SendAsync(HttpMethod.Post, "/statements/batch",
            Lines(good) + "{\"speaker\": 5}\n" + Lines(good.With("colour", "red")), "application/x-ndjson");
        lineStatus.ShouldBe(400);
        lineProblem!["errors"]!.AsObject().Select(e => e.Key).Order().ShouldBe(["[1].speaker", "[2].colour"]);
        (await app.EventCountAsync()).ShouldBe(before);
    }

    [BoundedFact]
    public async Task an_item_whose_id_exists_with_other_content_makes_the_batch_409_naming_it_and_writes_nothing()
    {
        var topic = StatementBodies.UniqueTopic("conflict");
        var existing = StatementBodies.Valid(topic, "MNG", "2024-01-01");
        await app.Host.RecordAsync(existing);
        var fresh = StatementBodies.Valid(topic, "MNG", "2024-02-01");
        var changed = existing.With("position", "opposes it after all");
        var before = await app.EventCountAsync();

        var (status, problem, _) = await app.Host.PostJsonAsync("/statements/batch", Array(fresh, changed));

        status.ShouldBe(409);
        problem!["conflicts"]!.AsArray().Select(c => $"{c!["index"]}:{c["id"]}").ShouldBe([$"1:{Id(existing)}"]);
        (await app.EventCountAsync()).ShouldBe(before);
        (await app.Host.SendAsync(HttpMethod.Get, $"/statements/{Id(fresh)}")).Status.ShouldBe(404);
    }

    [BoundedFact]
    public async Task the_same_id_twice_in_one_batch_is_recorded_once_or_refused_when_the_contents_differ()
    {
        var topic = StatementBodies.UniqueTopic("twice");
        var statement = StatementBodies.Valid(topic);

        var (status, answer, _) = await app.Host.PostJsonAsync("/statements/batch", Array(statement, statement));
        status.ShouldBe(201);
        Outcomes(answer!).ShouldBe([$"{Id(statement)}:recorded", $"{Id(statement)}:alreadyRecorded"]);

        var other = StatementBodies.Valid(topic);
        var (conflict, problem, _) = await app.Host.PostJsonAsync("/statements/batch", Array(other, other.With("position", "opposes it")));
        conflict.ShouldBe(409);
        problem!["conflicts"]!.AsArray().Select(c => c!["index"]!.GetValue<int>()).ShouldBe([1]);
        problem["detail"]!.GetValue<string>().ShouldContain("earlier in the batch");
    }

    [BoundedTheory]
    [InlineData("[]", "application/json", 400, "$")]
    [InlineData("", "application/x-ndjson", 400, "$")]
    [InlineData("{\"speaker\": {}}", "application/json", 400, "$")]
    [InlineData("[1, 2]", "application/json", 400, "[0]")]
    [InlineData("[{}, ", "application/json", 400, "[1]")]
    [InlineData("speaker,country", "text/csv", 415, null)]
    public async Task malformed_batches_answer_problems(string body, string contentType, int expected, string? field)
    {
        var problem = (await app.AssertWritesNothing(() => app.Host.SendAsync(HttpMethod.Post, "/statements/batch", body, contentType))).ShouldBeProblem(expected);

        if (field is not null) problem.ErrorFields().ShouldBe([field]);
    }

    [BoundedTheory]
    [InlineData("{\"speaker\": {}}", "must be a JSON array of statements")]
    [InlineData("", "The batch is empty")]
    public async Task a_json_batch_that_is_not_an_array_is_told_what_a_batch_is(string body, string message)
    {
        var problem = (await app.AssertWritesNothing(() => app.Host.SendAsync(HttpMethod.Post, "/statements/batch", body, "application/json"))).ShouldBeProblem(400);

        problem["errors"]!["$"]!.AsArray().Single()!.GetValue<string>().ShouldContain(message);
    }

    [BoundedFact]
    public async Task a_batch_of_more_than_a_thousand_statements_is_refused()
    {
        var topic = StatementBodies.UniqueTopic("big");
        var items = Enumerable.Range(0, 1001).Select(_ => StatementBodies.Valid(topic)).ToArray();
        var before = await app.EventCountAsync();

        var (status, problem, _) = await app.Host.SendAsync(HttpMethod.Post, "/statements/batch", Lines(items), "application/x-ndjson");

        status.ShouldBe(400);
        problem!["errors"]!["$"]![0]!.GetValue<string>().ShouldContain("1000");
        (await app.EventCountAsync()).ShouldBe(before);
    }

    [BoundedFact]
    public async Task a_batch_of_a_thousand_is_recorded()
    {
        var topic = StatementBodies.UniqueTopic("thousand");
        var items = Enumerable.Range(0, 1000).Select(i => StatementBodies.Valid(topic, statedOn: $"2024-{1 + i % 12:D2}-{1 + i % 28:D2}")).ToArray();

        var (status, answer, _) = await app.Host.PostJsonAsync("/statements/batch", Array(items));

        status.ShouldBe(201);
        answer!["items"]!.AsArray().Count.ShouldBe(1000);
        (await app.Host.GetJsonAsync($"/statements?topic={topic}&count=exact"))["total"]!.GetValue<long>().ShouldBe(1000);
    }

    [BoundedFact]
    public async Task batches_need_the_analyst_role() =>
        (await app.Host.SendAsync(HttpMethod.Post, "/statements/batch", "[]", apiKey: TestKeys.Reader)).Status.ShouldBe(403);
}
