using System.Text.Json.Nodes;
using Shouldly;
using StatementTracker.Importing;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

[Collection(ApiCollection.Name)]
public class ProvenanceAndExportTests(AppFixture app)
{
    private static JsonObject FromDataset(string topic, string dataset, string recordId, string position = "condemns the missile launch") =>
        StatementBodies.Valid(topic, position: position).Without("statementId")
            .With("origin", new JsonObject { ["dataset"] = dataset, ["recordId"] = recordId });

    private async Task<string> GetTextAsync(string url, int expected = 200)
    {
        var client = app.Host.Server.CreateClient();
        var response = await client.GetAsync(url);
        ((int)response.StatusCode).ShouldBe(expected, url);
        return await response.Content.ReadAsStringAsync();
    }

    [BoundedFact]
    public async Task a_statement_with_an_origin_gets_the_id_derived_from_it_shows_it_and_is_found_by_its_dataset()
    {
        var topic = StatementBodies.UniqueTopic("origin");
        var dataset = "test-" + Guid.NewGuid().ToString("N")[..8];

        var (status, body, _) = await app.Host.PostJsonAsync("/statements", FromDataset(topic, dataset, "42"));

        status.ShouldBe(201);
        var id = body!["id"]!.GetValue<Guid>();
        id.ShouldBe(NameBasedGuid.ForRecord(dataset, "42"));
        var statement = await app.Host.GetJsonAsync($"/statements/{id}");
        statement["origin"]!["dataset"]!.GetValue<string>().ShouldBe(dataset);
        statement["origin"]!["recordId"]!.GetValue<string>().ShouldBe("42");
        (await app.Host.PostJsonAsync("/statements", FromDataset(topic, dataset, "42"))).Status.ShouldBe(200);
        await app.Host.PostJsonAsync("/statements", StatementBodies.Valid(topic));

        var listed = (await app.Host.GetJsonAsync($"/statements?dataset={dataset}"))["items"]!.AsArray();
        listed.Select(s => s!["id"]!.GetValue<Guid>()).ShouldBe([id]);
        (await app.Host.GetJsonAsync($"/statements?topic={topic}"))["items"]!.AsArray().Count.ShouldBe(2);
    }

    [BoundedFact]
    public async Task an_origin_with_another_statement_id_or_a_source_without_publisher_is_refused_naming_the_field()
    {
        var topic = StatementBodies.UniqueTopic("origin-bad");
        var mismatched = FromDataset(topic, "icews", "77").With("statementId", Guid.CreateVersion7().ToString());
        var noPublisher = StatementBodies.Valid(topic).With("sources", new JsonArray(new JsonObject { ["url"] = "https://example.test/a" }));
        var badDataset = FromDataset(topic, "ICEWS data!", "1");

        (await app.Host.PostJsonAsync("/statements", mismatched)).Body!["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["statementId"]);
        (await app.Host.PostJsonAsync("/statements", noPublisher)).Body!["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["sources[0].publisher"]);
        (await app.Host.PostJsonAsync("/statements", badDataset)).Body!["errors"]!.AsObject().Select(e => e.Key).ShouldBe(["origin.dataset"]);
        var withoutUrl = StatementBodies.Valid(topic).With("sources", new JsonArray(new JsonObject { ["publisher"] = "Asahi Shimbun (print)" }));
        (await app.Host.PostJsonAsync("/statements", withoutUrl)).Status.ShouldBe(201);
        (await app.Host.GetJsonAsync($"/statements?topic={topic}"))["items"]!.AsArray().Count.ShouldBe(1);
    }

    [BoundedFact]
    public async Task exports_stream_the_filtered_statements_as_csv_json_lines_and_plover_and_positions_with_their_shifts()
    {
        var topic = StatementBodies.UniqueTopic("export");
        await app.Host.PostJsonAsync("/statements", StatementBodies.Valid(topic, statedOn: "2024-01-10", position: "will closely monitor, \"carefully\""));
        await app.Host.PostJsonAsync("/statements", StatementBodies.Valid(topic, statedOn: "2024-02-10", position: "condemns the launch"));
        await app.Host.PostJsonAsync("/statements", StatementBodies.Valid(topic, statedOn: "2024-03-10", position: "declines to comment").With("stance", "no-comment"));
        await app.WaitForProjectionsAsync();

        var csv = (await GetTextAsync($"/exports/statements.csv?topic={topic}")).TrimEnd('\n').Split('\n');
        csv[0].ShouldBe("id,country,topic,stance,family,statedOn,speaker,position,quote,targets,source,sourceUrl,originDataset,originRecordId,status,version");
        csv.Length.ShouldBe(4);
        csv.ShouldContain(line => line.Contains($",JPN,{topic},monitor,guarded,2024-01-10,Hayashi Yoshimasa,\"will closely monitor, \"\"carefully\"\"\","));

        var lines = (await GetTextAsync($"/exports/statements.jsonl?topic={topic}&asOf=2024-02")).TrimEnd('\n').Split('\n');
        lines.Select(l => JsonNode.Parse(l)!["statedOn"]!.GetValue<string>()).Order().ShouldBe(["2024-01-10", "2024-02-10"]);

        var plover = (await GetTextAsync($"/exports/statements.plover.jsonl?topic={topic}")).TrimEnd('\n').Split('\n');
        plover.Select(l => JsonNode.Parse(l)!["event"]![0]!.GetValue<string>()).ShouldBe(["DISAPPROVE"]);

        var positions = (await GetTextAsync($"/exports/positions.csv?country=JPN&topic={topic}")).TrimEnd('\n').Split('\n');
        positions[0].ShouldBe("country,topic,statedOn,stance,family,targets,statementId,speaker,position,recordedAt,shift,shiftFrom");
        positions.Skip(1).Select(l => l.Split(',')[3] + ":" + l.Split(',')[^2] + ":" + l.Split(',')[^1])
            .ShouldBe(["monitor:false:", "condemn:true:monitor", "no-comment:false:"]);

        var problem = JsonNode.Parse(await GetTextAsync("/exports/statements.csv?asOf=9999-99&country=Atlantis", 400))!;
        problem["errors"]!.AsObject().Select(e => e.Key).Order().ShouldBe(["asOf", "country"]);
    }
}
