using System.Text.Json.Nodes;
using Shouldly;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

/// <summary>Every rejection is a 400 problem naming the failing field, and nothing is written.</summary>
[Collection(ApiCollection.Name)]
public class RejectingBadInputTests(AppFixture app)
{
    public static TheoryData<string, string> InvalidBodies()
    {
        var valid = StatementBodies.Valid();
        string Change(string field, JsonNode? value) => valid.With(field, value).ToJsonString();
        string Drop(string field) => valid.Without(field).ToJsonString();
        return new()
        {
            { Drop("speaker"), "speaker" },
            { Change("speaker", new JsonObject { ["role"] = "Minister" }), "speaker.name" },
            { Change("speaker", new JsonObject { ["name"] = "  " }), "speaker.name" },
            { Drop("country"), "country" },
            { Change("country", "Narnia"), "country" },
            { Drop("topics"), "topics" },
            { Change("topics", new JsonArray()), "topics" },
            { Change("topics", new JsonArray("Taiwan")), "topics[0]" },
            { Drop("position"), "position" },
            { Change("position", new string('x', 501)), "position" },
            { Change("stance", "friendly"), "stance" },
            { Drop("statedOn"), "statedOn" },
            { Change("statedOn", "2024-02-30"), "statedOn" },
            { Change("statedOn", "1799"), "statedOn" },
            { Change("statedOn", DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd")), "statedOn" },
            { Change("quote", new string('q', 5001)), "quote" },
            { Change("targets", new JsonArray("CHN", "Mordor")), "targets[1]" },
            { Change("sources", new JsonArray(new JsonObject { ["publisher"] = "X", ["url"] = "ftp://x.org/a" })), "sources[0].url" },
            { Change("sources", new JsonArray(new JsonObject { ["publisher"] = "X", ["publishedOn"] = "2024-99" })), "sources[0].publishedOn" },
            { Change("statementId", "not-a-uuid"), "statementId" },
            { Change("statementId", Guid.Empty.ToString()), "statementId" },
            { Change("position", 42), "position" },
            { Change("topics", "taiwan"), "topics" },
            { Change("speaker", new JsonObject { ["name"] = "Hayashi", ["title"] = "CCS" }), "speaker.title" },
            { Drop("position").Replace("\"statedOn\"", "\"postion\":\"closely monitor\",\"statedOn\""), "postion" },
            { valid.ToJsonString().Replace("\"Hayashi Yoshimasa\"", "\"Hayashi\\u0000\""), "speaker.name" },
            { valid.ToJsonString().Replace("\"Hayashi Yoshimasa\"", "\"Hayashi\\ud800\""), "speaker.name" },
        };
    }

    [BoundedTheory]
    [MemberData(nameof(InvalidBodies))]
    public async Task an_invalid_statement_answers_400_naming_the_field_and_writes_nothing(string body, string field)
    {
        var answer = await app.AssertWritesNothing(() => app.Host.SendAsync(HttpMethod.Post, "/statements", body));

        answer.ShouldBeProblem(400).ErrorFields().ShouldBe([field]);
    }

    [BoundedTheory]
    [InlineData("", "$")]
    [InlineData("{", "$")]
    [InlineData("{\"speaker\": }", "speaker")]
    [InlineData("[]", "$")]
    [InlineData("[{\"country\":\"JPN\"}]", "$")]
    [InlineData("null", "$")]
    [InlineData("42", "$")]
    [InlineData("\"statement\"", "$")]
    [InlineData("{\"country\":\"JPN\",\"country\":\"CHN\"}", "country")]
    public async Task a_body_that_is_not_one_json_object_answers_400_problem_and_writes_nothing(string body, string field)
    {
        var answer = await app.AssertWritesNothing(() => app.Host.SendAsync(HttpMethod.Post, "/statements", body));

        answer.ShouldBeProblem(400).ErrorFields().ShouldBe([field]);
    }

    [BoundedFact]
    public async Task a_body_that_is_not_json_answers_415_problem()
    {
        (await app.Host.SendAsync(HttpMethod.Post, "/statements", "speaker=Hayashi", "application/x-www-form-urlencoded")).ShouldBeProblem(415);
    }

    [BoundedFact]
    public async Task every_failing_field_is_named_at_once()
    {
        var body = StatementBodies.Valid().With("country", "Narnia").With("statedOn", "soon").With("topics", new JsonArray("ok", "Not OK"));

        (await app.Host.PostJsonAsync("/statements", body)).ShouldBeProblem(400).ErrorFields().ShouldBe(["country", "statedOn", "topics[1]"]);
    }

    [BoundedTheory]
    [InlineData("GET", "/no-such-route", 404)]
    [InlineData("DELETE", "/statements", 405)]
    public async Task unknown_routes_and_methods_answer_with_a_problem(string method, string url, int expected)
    {
        (await app.Host.SendAsync(new HttpMethod(method), url)).ShouldBeProblem(expected);
    }
}
