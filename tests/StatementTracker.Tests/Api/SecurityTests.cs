using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shouldly;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

/// <summary>Who may do what: 401 without credentials, 403 with the wrong role, on every write and admin route.</summary>
[Collection(ApiCollection.Name)]
public class SecurityTests(AppFixture app)
{
    /// <summary>Every write route, with a body that would succeed for an analyst.</summary>
    public static TheoryData<string, string> WriteRoutes()
    {
        var id = "0190a0a0-0000-7000-8000-00000000beef";
        return new()
        {
            { "/statements", StatementBodies.Valid().ToJsonString() },
            { $"/statements/{id}/corrections", "{\"expectedVersion\":1,\"reason\":\"r\",\"position\":\"opposes it\"}" },
            { $"/statements/{id}/sources", "{\"publisher\":\"NHK\"}" },
            { $"/statements/{id}/retraction", "{\"reason\":\"misattributed\"}" },
        };
    }

    public static TheoryData<string, string> AdminRoutes() => new()
    {
        { "GET", "/admin/projections" },
        { "POST", "/admin/projections/PositionHistory/rebuild" },
    };

    private static async Task AssertProblem(HttpResponseMessage response, int status) =>
        (await response.ShouldBeProblem(status))["detail"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();

    [BoundedTheory]
    [MemberData(nameof(WriteRoutes))]
    public async Task a_write_without_credentials_answers_401_problem_and_writes_nothing(string url, string body)
    {
        var (_, _, response) = await app.AssertWritesNothing(() => app.Host.SendAsync(HttpMethod.Post, url, body, apiKey: null));

        await AssertProblem(response, 401);
    }

    [BoundedTheory]
    [MemberData(nameof(WriteRoutes))]
    public async Task a_write_by_a_caller_without_the_analyst_role_answers_403_problem(string url, string body)
    {
        var (_, _, asReader) = await app.Host.SendAsync(HttpMethod.Post, url, body, apiKey: TestKeys.Reader);
        var (_, _, asAdmin) = await app.Host.SendAsync(HttpMethod.Post, url, body, apiKey: TestKeys.Admin);

        await AssertProblem(asReader, 403);
        await AssertProblem(asAdmin, 403);
    }

    [BoundedTheory]
    [MemberData(nameof(AdminRoutes))]
    public async Task admin_routes_answer_401_without_credentials_and_403_without_the_admin_role(string method, string url)
    {
        var (_, _, anonymous) = await app.Host.SendAsync(new HttpMethod(method), url, apiKey: null);
        var (_, _, analyst) = await app.Host.SendAsync(new HttpMethod(method), url, apiKey: TestKeys.Analyst);
        var (_, _, reader) = await app.Host.SendAsync(new HttpMethod(method), url, apiKey: TestKeys.Reader);

        await AssertProblem(anonymous, 401);
        await AssertProblem(analyst, 403);
        await AssertProblem(reader, 403);
    }

    [BoundedFact]
    public async Task an_admin_may_list_projections() =>
        (await app.Host.SendAsync(HttpMethod.Get, "/admin/projections", apiKey: TestKeys.Admin)).Status.ShouldBe(200);

    [BoundedFact]
    public async Task an_analyst_may_write_and_is_recorded_as_the_actor()
    {
        var (status, answer, _) = await app.Host.PostJsonAsync("/statements", StatementBodies.Valid(), apiKey: TestKeys.Analyst);

        status.ShouldBe(201);
        var history = await app.HistoryEventsAsync(answer!["id"]!.GetValue<Guid>());
        history.Single()["actor"]!.GetValue<string>().ShouldBe("key:test-analyst");
        history.Single()["actorName"]!.GetValue<string>().ShouldBe("test-analyst");
        history.Single()["data"]!["recordedBy"]!.GetValue<string>().ShouldBe("key:test-analyst");
        history.Single()["data"]!["recordedByName"]!.GetValue<string>().ShouldBe("test-analyst");
    }

    [BoundedFact]
    public async Task reads_are_open_without_credentials()
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid());
        // The positions are projected asynchronously: the topic exists once the projection has caught up.
        await app.WaitForProjectionsAsync();

        (await app.Host.SendAsync(HttpMethod.Get, $"/statements/{id}", apiKey: null)).Status.ShouldBe(200);
        (await app.Host.SendAsync(HttpMethod.Get, "/countries/JPN/positions", apiKey: null)).Status.ShouldBe(200);
        (await app.Host.SendAsync(HttpMethod.Get, "/topics/china-russia-relations/positions", apiKey: null)).Status.ShouldBe(200);
    }

    [BoundedFact]
    public async Task a_wrong_api_key_answers_401_saying_so()
    {
        var (_, problem, response) = await app.Host.SendAsync(HttpMethod.Post, "/statements", StatementBodies.Valid().ToJsonString(), apiKey: "not-a-key");

        await AssertProblem(response, 401);
        problem!["detail"]!.GetValue<string>().ShouldContain("not valid");
    }

    [BoundedTheory]
    [InlineData("/statements")]
    [InlineData("/countries/JPN/positions")]
    [InlineData("/topics/china-russia-relations/positions")]
    [InlineData("/shifts")]
    [InlineData("/admin/projections")]
    [InlineData("/health/live")]
    public async Task a_key_in_the_query_string_is_refused_on_reads_too(string route)
    {
        foreach (var parameter in new[] { "api_key", "key", "apikey", "access_token", "q" })
        {
            var query = parameter == "q" ? $"q={TestKeys.Admin}" : $"{parameter}={TestKeys.Admin}";
            var (_, problem, response) = await app.Host.SendAsync(HttpMethod.Get, $"{route}?{query}", apiKey: null);
            var (_, _, withHeaderToo) = await app.Host.SendAsync(HttpMethod.Get, $"{route}?{query}", apiKey: TestKeys.Admin);

            await AssertProblem(response, 401);
            problem!["detail"]!.GetValue<string>().ShouldContain("query string");
            await AssertProblem(withHeaderToo, 401);
        }
        // Without the key in the URL the same read answers.
        (await app.Host.SendAsync(HttpMethod.Get, route, apiKey: TestKeys.Admin)).Status.ShouldBe(200);
    }

    [BoundedTheory]
    [InlineData("api_key")]
    [InlineData("apiKey")]
    [InlineData("access_token")]
    public async Task an_api_key_in_the_query_string_is_never_accepted(string parameter)
    {
        var (_, problem, response) = await app.Host.SendAsync(HttpMethod.Post, $"/statements?{parameter}={TestKeys.Editor}",
            StatementBodies.Valid().ToJsonString(), apiKey: null);
        var (_, _, withHeaderToo) = await app.Host.SendAsync(HttpMethod.Post, $"/statements?{parameter}={TestKeys.Editor}",
            StatementBodies.Valid().ToJsonString(), apiKey: TestKeys.Editor);

        await AssertProblem(response, 401);
        problem!["detail"]!.GetValue<string>().ShouldContain("query string");
        await AssertProblem(withHeaderToo, 401);
    }

    private static string Token(
        string name, string[] roles, string signingKey = TestKeys.JwtSigningKey, DateTime? expires = null,
        string issuer = TestKeys.JwtIssuer, string audience = TestKeys.JwtAudience, string? subject = null) =>
        TestTokens.Create(name, roles, signingKey, expires, issuer, audience, subject);

    /// <summary>A token that is right in every claim but carries no signature at all.</summary>
    private static string UnsignedToken()
    {
        static string Part(JsonObject json) => Base64UrlEncoder.Encode(json.ToJsonString());
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return Part(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" }) + "." + Part(new JsonObject
        {
            ["iss"] = TestKeys.JwtIssuer, ["aud"] = TestKeys.JwtAudience, ["sub"] = "user-mallory", ["name"] = "Mallory",
            ["roles"] = new JsonArray("analyst"), ["nbf"] = now - 60, ["iat"] = now - 60, ["exp"] = now + 600,
        }) + ".";
    }

    private async Task<HttpResponseMessage> PostWithToken(string token)
    {
        using var client = app.Host.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/statements")
        {
            Content = new StringContent(StatementBodies.Valid().ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    [BoundedFact]
    public async Task a_bearer_token_with_the_analyst_role_may_write_and_names_the_actor()
    {
        var response = await PostWithToken(Token("Aiko Tanaka", ["analyst"]));

        ((int)response.StatusCode).ShouldBe(201);
        var id = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<Guid>();
        var recorded = (await app.HistoryEventsAsync(id)).Single();
        recorded["actor"]!.GetValue<string>().ShouldBe($"jwt:{TestKeys.JwtIssuer}|user-Aiko Tanaka");
        recorded["actorName"]!.GetValue<string>().ShouldBe("Aiko Tanaka");
    }

    [BoundedFact]
    public async Task a_bearer_token_without_a_name_is_recorded_under_its_subject()
    {
        var response = await PostWithToken(Token("", ["analyst"], subject: "idp-user-77"));

        ((int)response.StatusCode).ShouldBe(201);
        var id = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<Guid>();
        var recorded = (await app.HistoryEventsAsync(id)).Single();
        recorded["actor"]!.GetValue<string>().ShouldBe($"jwt:{TestKeys.JwtIssuer}|idp-user-77");
        recorded["actorName"]!.GetValue<string>().ShouldBe("idp-user-77");
    }

    [BoundedFact]
    public async Task two_callers_sharing_a_display_name_are_recorded_as_different_actors()
    {
        var first = await PostWithToken(Token("Kenji Sato", ["analyst"], subject: "idp-user-1"));
        var second = await PostWithToken(Token("Kenji Sato", ["analyst"], subject: "idp-user-2"));

        var actors = new List<string>();
        foreach (var response in new[] { first, second })
        {
            ((int)response.StatusCode).ShouldBe(201);
            var id = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<Guid>();
            actors.Add((await app.HistoryEventsAsync(id)).Single()["actor"]!.GetValue<string>());
        }
        actors.ShouldBe([$"jwt:{TestKeys.JwtIssuer}|idp-user-1", $"jwt:{TestKeys.JwtIssuer}|idp-user-2"]);
    }

    [BoundedFact]
    public async Task a_bearer_token_without_a_subject_answers_401_and_writes_nothing()
    {
        await AssertProblem(await app.AssertWritesNothing(() => PostWithToken(Token("Nobody", ["analyst"], subject: ""))), 401);
    }

    [BoundedFact]
    public async Task a_bearer_token_for_another_audience_or_from_another_issuer_or_unsigned_answers_401()
    {
        var before = await app.EventCountAsync();

        await AssertProblem(await PostWithToken(Token("Other app", ["analyst", "admin"], audience: "another-application")), 401);
        await AssertProblem(await PostWithToken(Token("Other issuer", ["analyst", "admin"], issuer: "https://another-issuer.example")), 401);
        await AssertProblem(await PostWithToken(UnsignedToken()), 401);
        (await app.EventCountAsync()).ShouldBe(before);
        // The same token with the right audience and issuer is accepted: the refusals above are for those alone.
        ((int)(await PostWithToken(Token("Right app", ["analyst"]))).StatusCode).ShouldBe(201);
    }

    [BoundedFact]
    public async Task a_refused_bearer_token_answers_a_fixed_text_never_the_token_library_message()
    {
        var forged = await PostWithToken(Token("Forger", ["analyst"], signingKey: "another-signing-key-that-is-long-enough-0123"));
        var expired = await PostWithToken(Token("Late", ["analyst"], expires: DateTime.UtcNow.AddMinutes(-5)));

        foreach (var response in new[] { forged, expired })
        {
            ((int)response.StatusCode).ShouldBe(401);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            problem["detail"]!.GetValue<string>().ShouldBe(StatementTracker.Security.ProblemAuthorizationResultHandler.TokenRefused);
            problem.ToJsonString().ShouldNotContain("IDX");
        }
    }

    [BoundedFact]
    public async Task a_bearer_token_without_the_role_is_403_and_a_bad_or_expired_one_is_401()
    {
        await AssertProblem(await PostWithToken(Token("Reader", ["reader"])), 403);
        await AssertProblem(await PostWithToken(Token("Forger", ["analyst"], signingKey: "another-signing-key-that-is-long-enough-0123")), 401);
        await AssertProblem(await PostWithToken(Token("Late", ["analyst"], expires: DateTime.UtcNow.AddMinutes(-5))), 401);
    }
}

[Collection(ReaderOnlyCollection.Name)]
public class ReadsRequiringTheReaderRoleTests(ReaderOnlyFixture app)
{
    [BoundedTheory]
    [InlineData("/countries/JPN/positions")]
    [InlineData("/shifts")]
    [InlineData("/statements")]
    public async Task when_configured_reads_need_the_reader_role(string url)
    {
        (await app.Host.SendAsync(HttpMethod.Get, url, apiKey: null)).Status.ShouldBe(401);
        (await app.Host.SendAsync(HttpMethod.Get, url, apiKey: TestKeys.Reader)).Status.ShouldBe(200);
        (await app.Host.SendAsync(HttpMethod.Get, url, apiKey: TestKeys.Analyst)).Status.ShouldBe(200);
    }
}
