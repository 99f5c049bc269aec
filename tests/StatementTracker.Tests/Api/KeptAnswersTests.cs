using System.Reflection;
using System.Text.Json.Nodes;
using Shouldly;
using StatementTracker.Operations.Http;
using StatementTracker.Tests.Support;
using Wolverine.Http;

namespace StatementTracker.Tests.Api;

/// <summary>Position reads are kept in memory and given again for as long as they hold, never longer.</summary>
[Collection(ApiCollection.Name)]
public class KeptAnswersTests(AppFixture app)
{
    private readonly string _topic = StatementBodies.UniqueTopic("kept");

    private async Task<(string Body, string? CacheStatus)> ReadAsync(string url, bool afresh = false)
    {
        using var client = app.Host.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Api-Key", TestKeys.Editor);
        if (afresh) request.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true };
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBe(200, $"GET {url} answered {body}");
        var cacheStatus = response.Headers.TryGetValues(KeptAnswers.CacheStatus, out var values) ? values.Single() : null;
        return (body, cacheStatus);
    }

    private Task<Guid> SayAsync(string statedOn, string stance) =>
        app.Host.RecordAsync(StatementBodies.Valid(_topic, "EST", statedOn, position: $"states {stance}").With("stance", stance));

    private int HistoryTotal(string summary) =>
        JsonNode.Parse(summary)!["topics"]!.AsArray().Single(t => t!["topic"]!.GetValue<string>() == _topic)!["historyTotal"]!.GetValue<int>();

    /// <summary>Reads <paramref name="url"/> from the tables, then again from memory: the same answer.</summary>
    private async Task<string> ReadThenKeptAsync(string url)
    {
        var (answer, status) = await ReadAsync(url);
        status.ShouldBe(KeptAnswers.Miss);
        (await ReadAsync(url)).ShouldBe((answer, KeptAnswers.Hit));
        return answer;
    }

    private async Task SayAndApplyAsync(string statedOn, string stance)
    {
        await SayAsync(statedOn, stance);
        await app.WaitForProjectionsAsync();
    }

    private static string Current(string position) => JsonNode.Parse(position)!["current"]!["stance"]!.GetValue<string>();

    [BoundedFact]
    public async Task a_present_read_is_given_again_until_the_projection_applies_another_event()
    {
        await SayAndApplyAsync("2024-01-01", "monitor");
        var url = $"/countries/EST/positions/{_topic}";
        var answer = await ReadThenKeptAsync(url);
        (await ReadAsync(url, afresh: true)).ShouldBe((answer, KeptAnswers.Requested));

        await SayAndApplyAsync("2024-02-01", "oppose");
        var (again, statusAgain) = await ReadAsync(url);
        statusAgain.ShouldBe(KeptAnswers.Stale);
        Current(again).ShouldBe("oppose");
    }

    [BoundedFact]
    public async Task a_read_at_a_past_instant_is_given_again_unchanged_after_later_writes_apply()
    {
        var first = await SayAsync("2024-01-01", "monitor");
        await app.WaitForProjectionsAsync();
        var instant = (await app.HistoryEventsAsync(first))[0]["timestamp"]!.GetValue<DateTimeOffset>();
        var url = $"/countries/EST/positions?knownAt={Uri.EscapeDataString(instant.ToString("O"))}";

        var answer = await ReadThenKeptAsync(url);
        HistoryTotal(answer).ShouldBe(1);

        // Stamped after the instant: the kept answer still holds once the projection has applied it.
        await SayAndApplyAsync("2024-02-01", "oppose");
        HistoryTotal((await ReadAsync("/countries/EST/positions")).Body).ShouldBe(2);
        (await ReadAsync(url)).ShouldBe((answer, KeptAnswers.Hit));
        // Another query is another answer; errors are never kept.
        (await ReadAsync(url + "&asOf=2024-01-31")).CacheStatus.ShouldBe(KeptAnswers.Miss);
        var unknownTopic = $"/countries/EST/positions/{_topic}-none?knownAt={Uri.EscapeDataString(instant.ToString("O"))}";
        for (var i = 0; i < 2; i++)
        {
            var (notFound, _, response) = await app.Host.SendAsync(HttpMethod.Get, unknownTopic);
            notFound.ShouldBe(404);
            response.Headers.GetValues(KeptAnswers.CacheStatus).Single().ShouldBe(KeptAnswers.Miss);
        }
    }

    [BoundedFact]
    public async Task a_read_at_an_instant_a_later_write_is_stamped_by_is_read_again_once_the_write_applies()
    {
        await SayAndApplyAsync("2024-01-01", "monitor");
        var url = $"/countries/EST/positions/{_topic}?knownAt=9000-01-01T00:00:00Z";
        await ReadThenKeptAsync(url);

        await SayAndApplyAsync("2024-02-01", "oppose");
        var (again, statusAgain) = await ReadAsync(url);
        statusAgain.ShouldBe(KeptAnswers.Stale);
        Current(again).ShouldBe("oppose");
    }

    [BoundedFact]
    public async Task an_answer_larger_than_the_first_copy_buffer_is_kept_whole()
    {
        var batch = new JsonArray(Enumerable.Range(0, 80).Select(day => (JsonNode)StatementBodies.Valid(_topic, "EST",
            new DateOnly(2023, 1, 1).AddDays(day).ToString("yyyy-MM-dd"), position: day % 2 == 0 ? "supports the talks" : "opposes the talks")).ToArray());
        (await app.Host.SendAsync(HttpMethod.Post, "/statements/batch", batch.ToJsonString())).Status.ShouldBe(201);
        await app.WaitForProjectionsAsync();
        var url = $"/countries/EST/positions/{_topic}?historyLimit=80";

        System.Text.Encoding.UTF8.GetByteCount(await ReadThenKeptAsync(url)).ShouldBeGreaterThan(32 * 1024);
    }

    [BoundedFact]
    public void answers_are_kept_for_every_position_read_that_takes_known_at_and_no_other()
    {
        var reads = typeof(KeptAnswers).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Select(method => (Route: method.GetCustomAttribute<WolverineGetAttribute>()?.Template, Method: method))
            .Where(read => read.Route is not null && read.Method.GetParameters().Any(p => p.Name == "knownAt"))
            .Select(read => "/" + read.Route!.TrimStart('/'))
            .Where(route => route.StartsWith("/countries/", StringComparison.Ordinal) || route.StartsWith("/topics/", StringComparison.Ordinal))
            .ToHashSet();

        reads.Count.ShouldBeGreaterThan(0);
        KeptAnswers.Routes.OrderBy(r => r).ShouldBe(reads.OrderBy(r => r));
    }
}
