using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Shouldly;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

/// <summary>Configured limits answer as problems: 413 for big bodies, 429 for fast callers, capped pages.</summary>
[Collection(LimitsCollection.Name)]
public class LimitsTests(LimitsFixture app)
{
    [BoundedFact]
    public async Task a_body_over_the_limit_answers_413_problem_and_writes_nothing()
    {
        var body = StatementBodies.Valid().With("quote", new string('q', LimitsFixture.MaxBodyBytes));

        var answer = await app.AssertWritesNothing(() => app.Host.PostJsonAsync("/statements", body, TestKeys.LimitsBodyWriter));

        answer.ShouldBeProblem(413)["detail"]!.GetValue<string>().ShouldBe($"Request bodies may hold at most {LimitsFixture.MaxBodyBytes} bytes.");
    }

    [BoundedFact]
    public async Task a_chunked_body_over_the_limit_without_a_content_length_answers_413_and_writes_nothing()
    {
        var body = StatementBodies.Valid().With("quote", new string('q', LimitsFixture.MaxBodyBytes)).ToJsonString();

        var response = await app.AssertWritesNothing(async () =>
        {
            using var client = app.Host.Server.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/statements")
            {
                // A stream of unknown length goes chunked, with no Content-Length to refuse up front.
                Content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(body))),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.TransferEncodingChunked = true;
            request.Headers.Add("X-Api-Key", TestKeys.LimitsChunkedWriter);
            var answer = await client.SendAsync(request);
            request.Content.Headers.ContentLength.ShouldBeNull();
            return answer;
        });

        await response.ShouldBeProblem(413);
    }

    [BoundedFact]
    public async Task an_import_file_over_its_own_limit_answers_413_and_one_under_it_is_taken_though_over_the_body_limit()
    {
        var row = Importing.DatasetRows.Icews();
        var fits = string.Join('\n', [Importing.DatasetRows.IcewsHeader, .. Enumerable.Repeat(row, (LimitsFixture.MaxImportBytes - 400) / (row.Length + 1))]);
        var tooLarge = fits + "\n" + fits;
        fits.Length.ShouldBeGreaterThan(LimitsFixture.MaxBodyBytes);

        (await app.Host.SendAsync(HttpMethod.Post, "/imports?format=icews", tooLarge, "text/tab-separated-values", TestKeys.LimitsImporter))
            .ShouldBeProblem(413);
        (await app.Host.SendAsync(HttpMethod.Post, "/imports?format=icews", fits, "text/tab-separated-values", TestKeys.LimitsImporter))
            .Status.ShouldBe(202);
    }

    [BoundedFact]
    public async Task a_caller_over_the_rate_answers_429_with_retry_after_while_other_callers_go_on()
    {
        var answers = new List<(int Status, HttpResponseMessage Response)>();
        for (var i = 0; i < LimitsFixture.Burst * 3; i++)
        {
            var (status, _, response) = await app.Host.SendAsync(HttpMethod.Get, "/countries/JPN/positions", apiKey: TestKeys.Reader);
            answers.Add((status, response));
        }

        answers.Take(LimitsFixture.Burst).ShouldAllBe(a => a.Status == 200);
        // One request a second refills the bucket: a refused request may come back after one second.
        var limited = answers.Where(a => a.Status == 429).ToArray();
        limited.ShouldNotBeEmpty();
        limited.ShouldAllBe(a => a.Response.Headers.RetryAfter!.Delta == TimeSpan.FromSeconds(1));
        limited[0].Response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await app.Host.SendAsync(HttpMethod.Get, "/countries/JPN/positions", apiKey: TestKeys.Admin)).Status.ShouldBe(200);
    }

    [BoundedFact]
    public async Task callers_sharing_a_display_name_have_rate_limits_of_their_own()
    {
        // Fresh subjects: their buckets are full whatever ran before.
        var first = TestTokens.Create("Shared Name", ["reader"], subject: $"sub-{Guid.NewGuid()}");
        var second = TestTokens.Create("Shared Name", ["reader"], subject: $"sub-{Guid.NewGuid()}");

        async Task<int> Read(string token)
        {
            using var client = app.Host.Server.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, "/countries/JPN/positions");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return (int)(await client.SendAsync(request)).StatusCode;
        }

        var firstAnswers = new List<int>();
        for (var i = 0; i < LimitsFixture.Burst * 3; i++) firstAnswers.Add(await Read(first));

        firstAnswers.ShouldContain(429);
        (await Read(second)).ShouldBe(200);
    }

    [BoundedFact]
    public async Task a_batch_weighs_as_many_requests_as_it_holds_statements_and_may_be_larger_than_one_statement_s_body()
    {
        var topic = StatementBodies.UniqueTopic("weighed");
        string Batch(int n) => new JsonArray(Enumerable.Range(0, n).Select(_ => (JsonNode)StatementBodies.Valid(topic).With("quote", new string('q', 300))).ToArray()).ToJsonString();
        var four = Batch(4);
        four.Length.ShouldBeGreaterThan(LimitsFixture.MaxBodyBytes, "a batch may exceed the single-statement body limit");

        var (first, answer, _) = await app.Host.SendAsync(HttpMethod.Post, "/statements/batch", four, apiKey: TestKeys.Analyst);
        var (second, problem, response) = await app.Host.SendAsync(HttpMethod.Post, "/statements/batch", Batch(4), apiKey: TestKeys.Analyst);

        first.ShouldBe(201, answer?.ToJsonString());
        second.ShouldBe(429, "4 + 4 statements are over a burst of 5");
        // The second batch's own request took the last token; its other 3 need 3 s at one a second, or 2 s when
        // the bucket's timer added a token between the batches.
        var retryAfter = (int)response.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
        retryAfter.ShouldBeOneOf(2, 3);
        problem!["detail"]!.GetValue<string>().ShouldBe(
            $"A batch weighs as many requests as it holds statements; this one (4) is over your allowance of 1 per second (bursts up to 5). " +
            $"Retry after {retryAfter} s, or send smaller batches.");
    }

    [BoundedFact]
    public async Task page_sizes_are_capped_at_the_configured_maximum()
    {
        var page = await app.Host.GetJsonAsync("/statements?pageSize=50", apiKey: TestKeys.LimitsPager);

        page["pageSize"]!.GetValue<int>().ShouldBe(10);
    }

    [BoundedFact]
    public async Task history_limits_are_capped_at_the_configured_maximum_with_the_totals_beside_them()
    {
        var topic = StatementBodies.UniqueTopic("capped");
        // Four recordings and one read: within this caller's burst of five.
        foreach (var day in new[] { "01", "02", "03", "04" })
            (await app.Host.PostJsonAsync("/statements", StatementBodies.Valid(topic, statedOn: $"2024-03-{day}"), TestKeys.LimitsHistoryWriter))
                .Status.ShouldBe(201);
        await app.WaitForProjectionsAsync();

        var position = await app.Host.GetJsonAsync($"/countries/JPN/positions/{topic}?historyLimit=50", apiKey: TestKeys.LimitsHistoryWriter);

        position["history"]!.AsArray().Select(e => e!["statedOn"]!.GetValue<string>()).ShouldBe(["2024-03-02", "2024-03-03", "2024-03-04"]);
        position["historyTotal"]!.GetValue<int>().ShouldBe(4);
        position["historyNext"].ShouldNotBeNull();
    }
}

/// <summary>A body whose length the client cannot know in advance, so it is sent chunked.</summary>
internal sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
{
    public override bool CanSeek => false;
}

[Collection(ApiCollection.Name)]
public class OperationsTests(AppFixture app)
{
    [BoundedFact]
    public async Task liveness_and_readiness_answer_with_each_check_for_an_admin()
    {
        // An event to wait for: on an empty store there is no projection activity to see.
        await app.Host.RecordAsync(StatementBodies.Valid());
        await app.WaitForProjectionsAsync();

        var (live, _, _) = await app.Host.SendAsync(HttpMethod.Get, "/health/live", apiKey: null);
        var (readyStatus, ready, _) = await app.Host.SendAsync(HttpMethod.Get, "/health/ready", apiKey: TestKeys.Editor);

        live.ShouldBe(200);
        readyStatus.ShouldBe(200, ready?.ToJsonString());
        ready!["status"]!.GetValue<string>().ShouldBe("Healthy");
        ready["checks"]!["database"]!["status"]!.GetValue<string>().ShouldBe("Healthy");
        ready["checks"]!["projections"]!["status"]!.GetValue<string>().ShouldBe("Healthy");
    }

    [BoundedTheory]
    [InlineData(null)]
    [InlineData(TestKeys.Analyst)]
    public async Task readiness_shows_only_its_status_to_anyone_but_an_admin(string? apiKey)
    {
        await app.Host.RecordAsync(StatementBodies.Valid());
        await app.WaitForProjectionsAsync();

        var (status, ready, _) = await app.Host.SendAsync(HttpMethod.Get, "/health/ready", apiKey: apiKey);

        status.ShouldBe(200);
        ready!.AsObject().Select(p => p.Key).ShouldBe(["status"]);
    }

    [BoundedFact]
    public async Task a_flood_of_404s_logs_at_most_one_information_line()
    {
        var marker = Guid.NewGuid();
        for (var n = 0; n < 50; n++)
            (await app.Host.SendAsync(HttpMethod.Get, $"/no-such-route/{marker}/{n}", apiKey: null)).Status.ShouldBe(404);

        app.Logs.Lines.Count(line => line.Contains("Problem 404") && line.Contains(marker.ToString())).ShouldBeLessThanOrEqualTo(1);
    }

    [BoundedFact]
    public async Task an_unknown_property_name_is_echoed_cut_to_64_characters()
    {
        var name = "x" + new string('y', 5000);

        var (status, problem, _) = await app.Host.PostJsonAsync("/statements", StatementBodies.Valid().With(name, 1));

        status.ShouldBe(400);
        // Its first 64 characters, marked as cut.
        problem!.ErrorFields().ShouldBe(["x" + new string('y', 63) + "…"]);
        problem!.ToJsonString().ShouldNotContain(new string('y', 64));
    }

    [BoundedFact]
    public async Task every_problem_carries_a_trace_id_that_the_log_also_shows()
    {
        var (_, problem, _) = await app.Host.PostJsonAsync("/statements", new JsonObject { ["country"] = "Narnia" });

        var traceId = problem!["traceId"]!.GetValue<string>();
        traceId.ShouldNotBeNullOrWhiteSpace();
        app.Logs.Lines.ShouldContain(line => line.Contains(traceId) && line.Contains("400"));
    }

    [BoundedTheory]
    [InlineData("{\"speaker\": {\"name\": \"' OR 1=1; DROP TABLE mt_events; --\"}}")]
    [InlineData("{\"country\": \"<script>alert(1)</script>\"}")]
    [InlineData("{\"statedOn\": 1e999999}")]
    public async Task problems_never_show_stack_traces_sql_or_connection_details(string body)
    {
        var (status, problem, _) = await app.Host.SendAsync(HttpMethod.Post, "/statements", body);

        status.ShouldBe(400);
        var text = problem!.ToJsonString();
        foreach (var leak in new[] { "   at ", "Npgsql", "Exception", "Host=", "Password", "System.", "select ", "insert " })
            text.ShouldNotContain(leak, Case.Insensitive);
    }
}

[Collection(HeavyReadsCollection.Name)]
public class HeavyReadsTests(HeavyReadsFixture app)
{
    [BoundedFact]
    public async Task costly_reads_share_a_concurrency_limit_that_turns_the_surplus_away_while_light_reads_go_on()
    {
        await app.Host.RecordAsync(StatementBodies.Valid());
        // Costly reads (views at an earlier date) all at once, beside light ones (present views).
        var heavy = Enumerable.Range(0, 40).Select(i => app.Host.SendAsync(HttpMethod.Get, $"/countries/JPN/positions?asOf=2024-0{1 + i % 9}", apiKey: null));
        var light = Enumerable.Range(0, 10).Select(_ => app.Host.SendAsync(HttpMethod.Get, "/countries/JPN/positions", apiKey: null));
        var answers = await Task.WhenAll(heavy.Concat(light));

        var turnedAway = answers.Take(40).Where(a => a.Status == 429).ToArray();
        turnedAway.ShouldNotBeEmpty("40 costly reads at once are over a limit of 1 with no queue");
        turnedAway[0].Body!["title"]!.GetValue<string>().ShouldBe("Too many costly reads.");
        turnedAway[0].Response.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBe(2);
        answers.Take(40).ShouldAllBe(a => a.Status == 200 || a.Status == 429);
        answers.Skip(40).ShouldAllBe(a => a.Status == 200, "present views are light: never turned away");
    }
}
