using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Shouldly;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

/// <summary>What an empty string means in a correction, and If-Match standing in for expectedVersion.</summary>
[Collection(ApiCollection.Name)]
public class CorrectionClearingAndIfMatchTests(AppFixture app)
{
    [BoundedFact]
    public async Task an_empty_stance_returns_the_statement_to_inference_from_its_position()
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid(position: "opposes the joint patrols").With("stance", "concern"));
        (await app.Host.GetJsonAsync($"/statements/{id}"))["stance"]!.GetValue<string>().ShouldBe("concern");

        await app.Host.CorrectAsync(id, 1, new JsonObject { ["stance"] = "" });

        var statement = await app.Host.GetJsonAsync($"/statements/{id}");
        statement["stance"]!.GetValue<string>().ShouldBe("oppose");
        statement["stanceInferred"]!.GetValue<bool>().ShouldBeTrue();
    }

    [BoundedFact]
    public async Task an_empty_speaker_role_clears_the_role()
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid());

        await app.Host.CorrectAsync(id, 1, new JsonObject { ["speaker"] = new JsonObject { ["name"] = "Hayashi Yoshimasa", ["role"] = "" } });

        var speaker = (await app.Host.GetJsonAsync($"/statements/{id}"))["speaker"]!;
        speaker["name"]!.GetValue<string>().ShouldBe("Hayashi Yoshimasa");
        speaker["role"].ShouldBeNull();
    }

    [BoundedFact]
    public async Task a_stale_if_match_answers_409_naming_the_current_version()
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid());
        await app.Host.CorrectAsync(id, 1, new JsonObject { ["position"] = "expresses concern" });

        var problem = await (await app.AssertWritesNothing(() => CorrectWithIfMatch(id, "\"1\"", new JsonObject { ["position"] = "opposes it" })))
            .ShouldBeProblem(409);

        problem["currentVersion"]!.GetValue<long>().ShouldBe(2);
    }

    [BoundedFact]
    public async Task an_if_match_that_disagrees_with_expected_version_answers_400_naming_expected_version()
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid());

        var problem = await (await app.AssertWritesNothing(() =>
            CorrectWithIfMatch(id, "\"1\"", new JsonObject { ["position"] = "opposes it", ["expectedVersion"] = 2 }))).ShouldBeProblem(400);

        problem.ErrorFields().ShouldBe(["expectedVersion"]);
    }

    private async Task<HttpResponseMessage> CorrectWithIfMatch(Guid id, string etag, JsonObject body)
    {
        body["reason"] = "the report was misread";
        using var client = app.Host.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/statements/{id}/corrections")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        request.Headers.Add("X-Api-Key", TestKeys.Editor);
        return await client.SendAsync(request);
    }
}
