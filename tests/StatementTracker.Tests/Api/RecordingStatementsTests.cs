using System.Text.Json.Nodes;
using Shouldly;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

[Collection(ApiCollection.Name)]
public class RecordingStatementsTests(AppFixture app)
{
    [BoundedFact]
    public async Task recording_a_statement_answers_201_with_its_location_id_and_version()
    {
        var id = Guid.CreateVersion7();

        var (status, body, response) = await app.Host.PostJsonAsync("/statements", StatementBodies.Valid(id: id));

        status.ShouldBe(201);
        response.Headers.Location!.ToString().ShouldBe($"/statements/{id}");
        body!["id"]!.GetValue<Guid>().ShouldBe(id);
        body["version"]!.GetValue<long>().ShouldBe(1);
    }

    [BoundedFact]
    public async Task a_recorded_statement_reads_back_as_stored_with_normalised_values()
    {
        var id = Guid.CreateVersion7();
        var posted = StatementBodies.Valid(id: id).With("country", "Japan").With("targets", new JsonArray("China", "RU"))
            .With("quote", "I will refrain from commenting.").With("occasion", "press conference");
        await app.Host.PostJsonAsync("/statements", posted);

        var statement = await app.Host.GetJsonAsync($"/statements/{id}");

        statement["id"]!.GetValue<Guid>().ShouldBe(id);
        statement["country"]!.GetValue<string>().ShouldBe("JPN");
        statement["targets"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["CHN", "RUS"]);
        statement["speaker"]!["name"]!.GetValue<string>().ShouldBe("Hayashi Yoshimasa");
        statement["speaker"]!["role"]!.GetValue<string>().ShouldBe("Chief Cabinet Secretary");
        statement["topics"]!.AsArray().Single()!.GetValue<string>().ShouldBe("china-russia-relations");
        statement["stance"]!.GetValue<string>().ShouldBe("monitor");
        statement["stanceInferred"]!.GetValue<bool>().ShouldBeTrue();
        statement["statedOn"]!.GetValue<string>().ShouldBe("2024-07-04");
        statement["quote"]!.GetValue<string>().ShouldBe("I will refrain from commenting.");
        statement["occasion"]!.GetValue<string>().ShouldBe("press conference");
        statement["sources"]!.AsArray().Single()!["publisher"]!.GetValue<string>().ShouldBe("TV Asahi");
        statement["version"]!.GetValue<long>().ShouldBe(1);
        statement["recordedAt"]!.GetValue<DateTimeOffset>().ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [BoundedFact]
    public async Task a_statement_without_a_client_id_gets_one_from_the_server()
    {
        var (status, body, _) = await app.Host.PostJsonAsync("/statements", StatementBodies.Valid().Without("statementId"));

        status.ShouldBe(201);
        var id = body!["id"]!.GetValue<Guid>();
        id.ShouldNotBe(Guid.Empty);
        (await app.Host.GetJsonAsync($"/statements/{id}"))["id"]!.GetValue<Guid>().ShouldBe(id);
    }

    [BoundedTheory]
    [InlineData("0190a0a0-0000-7000-8000-00000000dead")]
    [InlineData("not-a-uuid")]
    public async Task reading_an_unknown_statement_answers_404_problem(string id)
    {
        (await app.Host.SendAsync(HttpMethod.Get, $"/statements/{id}")).ShouldBeProblem(404);
    }

    [BoundedFact]
    public async Task posting_the_same_statement_again_answers_2xx_with_the_same_id_and_appends_nothing()
    {
        var id = Guid.CreateVersion7();
        var body = StatementBodies.Valid(id: id);
        await app.Host.PostJsonAsync("/statements", body);
        var eventsBefore = await app.EventCountAsync();

        var (status, again, _) = await app.Host.PostJsonAsync("/statements", body.With("country", "Japan"));

        status.ShouldBe(200);
        again!["id"]!.GetValue<Guid>().ShouldBe(id);
        again["version"]!.GetValue<long>().ShouldBe(1);
        (await app.EventCountAsync()).ShouldBe(eventsBefore);
    }

    [BoundedFact]
    public async Task posting_other_content_under_a_recorded_id_answers_409_and_changes_nothing()
    {
        var id = Guid.CreateVersion7();
        await app.Host.PostJsonAsync("/statements", StatementBodies.Valid(id: id));
        var answer = await app.AssertWritesNothing(() => app.Host.PostJsonAsync("/statements", StatementBodies.Valid(id: id).With("position", "opposes the talks")));

        answer.ShouldBeProblem(409)["detail"]!.GetValue<string>().ShouldContain(id.ToString());
        (await app.Host.GetJsonAsync($"/statements/{id}"))["stance"]!.GetValue<string>().ShouldBe("monitor");
    }

    [BoundedFact]
    public async Task concurrent_posts_of_one_new_statement_record_it_once()
    {
        var id = Guid.CreateVersion7();
        var body = StatementBodies.Valid(id: id);
        var eventsBefore = await app.EventCountAsync();

        var overlap = new RequestOverlap();
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => overlap.TimeAsync(() => app.Host.PostJsonAsync("/statements", body))));

        overlap.AllSentBeforeFirstAnswer.ShouldBeTrue($"the posts were in flight at once: {overlap}");
        answers.Count(a => a.Status == 201).ShouldBe(1);
        answers.Count(a => a.Status == 200).ShouldBe(7);
        await using var session = app.Store.QuerySession();
        (await session.Events.FetchStreamAsync(id)).Count.ShouldBe(1);
        (await app.EventCountAsync()).ShouldBe(eventsBefore + 1);
    }
}
