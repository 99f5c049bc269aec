using System.Diagnostics;
using System.Text.Json.Nodes;
using Shouldly;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

[Collection(ApiCollection.Name)]
public class PositionsTests(AppFixture app, ITestOutputHelper output)
{
    private async Task<Guid> RecordAsync(JsonObject body)
    {
        var (status, answer, _) = await app.Host.PostJsonAsync("/statements", body);
        status.ShouldBe(201, answer?.ToJsonString());
        return answer!["id"]!.GetValue<Guid>();
    }

    private static string[] Column(JsonNode topicPosition, string list, string field) => PositionJson.Column(topicPosition[list], field);

    [BoundedFact]
    public async Task history_is_chronological_by_stated_date_and_the_latest_substantive_stated_is_current_even_when_recorded_late()
    {
        var topic = StatementBodies.UniqueTopic("history");
        var monitor = await RecordAsync(StatementBodies.Valid(topic, statedOn: "2024-07-04"));
        var oppose = await RecordAsync(StatementBodies.Valid(topic, statedOn: "2024-09-01", position: "opposes the joint exercises"));
        var lateButOlder = await RecordAsync(StatementBodies.Valid(topic, statedOn: "2024-08", position: "expresses concern over the joint patrols"));
        var sameDayLater = await RecordAsync(StatementBodies.Valid(topic, statedOn: "2024-07-04", position: "will refrain from commenting"));
        await app.WaitForProjectionsAsync();

        var position = await app.Host.GetJsonAsync($"/countries/JPN/positions/{topic}");

        position["topic"]!.GetValue<string>().ShouldBe(topic);
        Column(position, "history", "statementId").ShouldBe(new[] { monitor, sameDayLater, lateButOlder, oppose }.Select(id => id.ToString()).ToArray());
        Column(position, "history", "stance").ShouldBe(["monitor", "no-comment", "concern", "oppose"]);
        Column(position, "history", "family").ShouldBe(["guarded", "none", "guarded", "critical"]);
        Column(position, "history", "statedOn").ShouldBe(["2024-07-04", "2024-07-04", "2024-08", "2024-09-01"]);
        position["current"]!["statementId"]!.GetValue<Guid>().ShouldBe(oppose);
        position["current"]!["speaker"]!["name"]!.GetValue<string>().ShouldBe("Hayashi Yoshimasa");
        position["current"]!["position"]!.GetValue<string>().ShouldBe("opposes the joint exercises");
        position["historyTotal"]!.GetValue<int>().ShouldBe(4);

        // The no-comment between monitor and concern neither ends nor starts a shift.
        PositionJson.Shifts(position["shifts"]).ShouldBe([
            $"monitor->concern@2024-08:{lateButOlder}",
            $"concern->oppose@2024-09-01:{oppose}",
        ]);
        position["shiftsTotal"]!.GetValue<int>().ShouldBe(2);
        position["lastShift"]!["statementId"]!.GetValue<Guid>().ShouldBe(oppose);
        position["lastShift"]!["from"]!["family"]!.GetValue<string>().ShouldBe("guarded");
        position["lastShift"]!["to"]!["family"]!.GetValue<string>().ShouldBe("critical");
    }

    [BoundedFact]
    public async Task a_later_no_comment_never_becomes_current_nor_makes_a_shift_while_a_stance_exists()
    {
        var topic = StatementBodies.UniqueTopic("nocomment");
        var monitor = await RecordAsync(StatementBodies.Valid(topic, "JPN", "2024-07-04").With("targets", new JsonArray("CHN", "RUS")));
        await RecordAsync(StatementBodies.Valid(topic, "JPN", "2024-07-05", position: "will refrain from commenting on the meetings of third countries"));
        await RecordAsync(StatementBodies.Valid(topic, "JPN", "2024-07-06", position: "held talks in Tokyo"));
        await app.WaitForProjectionsAsync();

        var position = await app.Host.GetJsonAsync($"/countries/JPN/positions/{topic}");
        position["current"]!["statementId"]!.GetValue<Guid>().ShouldBe(monitor);
        position["current"]!["stance"]!.GetValue<string>().ShouldBe("monitor");
        position["current"]!["family"]!.GetValue<string>().ShouldBe("guarded");
        position["current"]!["targets"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["CHN", "RUS"]);
        Column(position, "history", "stance").ShouldBe(["monitor", "no-comment", "unclassified"]);
        position["historyTotal"]!.GetValue<int>().ShouldBe(3);
        position["shifts"]!.AsArray().ShouldBeEmpty();
        position["shiftsTotal"]!.GetValue<int>().ShouldBe(0);

        var summary = (await app.Host.GetJsonAsync("/countries/JPN/positions"))["topics"]!.AsArray().Single(t => t!["topic"]!.GetValue<string>() == topic)!;
        summary["current"]!["stance"]!.GetValue<string>().ShouldBe("monitor");
        summary["lastShift"].ShouldBeNull();
        var overview = await app.Host.GetJsonAsync($"/topics/{topic}/positions");
        overview["stances"]!.AsObject().Select(s => s.Key).ShouldBe(["monitor"]);
    }

    [BoundedFact]
    public async Task with_only_non_positions_the_latest_of_them_is_current()
    {
        var topic = StatementBodies.UniqueTopic("onlynone");
        await RecordAsync(StatementBodies.Valid(topic, "VNM", "2024-07-04", position: "declined to comment"));
        var latest = await RecordAsync(StatementBodies.Valid(topic, "VNM", "2024-07-05", position: "held talks in Hanoi"));
        await app.WaitForProjectionsAsync();

        var position = await app.Host.GetJsonAsync($"/countries/VNM/positions/{topic}");

        position["current"]!["statementId"]!.GetValue<Guid>().ShouldBe(latest);
        position["current"]!["family"]!.GetValue<string>().ShouldBe("none");
        (await app.Host.GetJsonAsync($"/topics/{topic}/positions"))["families"]!["none"]!.GetValue<int>().ShouldBe(1);
    }

    [BoundedFact]
    public async Task a_country_s_positions_list_each_topic_it_has_spoken_on()
    {
        var first = StatementBodies.UniqueTopic("alpha");
        var second = StatementBodies.UniqueTopic("beta");
        await RecordAsync(StatementBodies.Valid(first, "PHL"));
        await RecordAsync(StatementBodies.Valid(second, "PHL", position: "condemns the water cannon attack"));
        await app.WaitForProjectionsAsync();

        var positions = await app.Host.GetJsonAsync("/countries/ph/positions");

        positions["country"]!.GetValue<string>().ShouldBe("PHL");
        var topics = positions["topics"]!.AsArray().ToDictionary(t => t!["topic"]!.GetValue<string>());
        topics[first]!["current"]!["stance"]!.GetValue<string>().ShouldBe("monitor");
        topics[second]!["current"]!["stance"]!.GetValue<string>().ShouldBe("condemn");
        topics[second]!["current"]!["family"]!.GetValue<string>().ShouldBe("critical");
        topics[second]!["historyTotal"]!.GetValue<int>().ShouldBe(1);
        topics[second]!["shiftsTotal"]!.GetValue<int>().ShouldBe(0);
        topics[second]!["lastShift"].ShouldBeNull();
        topics[second]!.AsObject().ContainsKey("history").ShouldBeFalse("the summary does not grow with the history");
    }

    [BoundedFact]
    public async Task a_topic_overview_groups_each_country_s_current_stance()
    {
        var topic = StatementBodies.UniqueTopic("overview");
        await RecordAsync(StatementBodies.Valid(topic, "RUS", "2024-07-03", position: "supports China's core interests").With("targets", new JsonArray("China")));
        await RecordAsync(StatementBodies.Valid(topic, "JPN", "2024-07-04"));
        await RecordAsync(StatementBodies.Valid(topic, "USA", "2024-07-01", position: "opposes the joint patrols"));
        await RecordAsync(StatementBodies.Valid(topic, "USA", "2024-07-05", position: "will closely monitor the situation"));
        await app.WaitForProjectionsAsync();

        var overview = await app.Host.GetJsonAsync($"/topics/{topic}/positions");

        overview["countryCount"]!.GetValue<int>().ShouldBe(3);
        var stances = overview["stances"]!.AsObject();
        stances.Select(s => s.Key).ShouldBe(["monitor", "support"]);
        stances["monitor"]!.AsArray().Select(c => c!["country"]!.GetValue<string>()).ShouldBe(["JPN", "USA"]);
        stances["support"]!.AsArray().Select(c => c!["country"]!.GetValue<string>()).ShouldBe(["RUS"]);
        stances["support"]![0]!["family"]!.GetValue<string>().ShouldBe("favourable");
        stances["support"]![0]!["targets"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["CHN"]);
        var families = overview["families"]!.AsObject();
        families.Select(f => $"{f.Key}={f.Value}").ShouldBe(["favourable=1", "critical=0", "guarded=2", "none=0"]);
    }

    [BoundedFact]
    public async Task concurrent_posts_for_one_country_all_appear_in_its_history()
    {
        var topic = StatementBodies.UniqueTopic("concurrent");
        var bodies = Enumerable.Range(0, 200)
            .Select(i => StatementBodies.Valid(topic, "TWN", $"2024-{1 + i % 12:D2}-{1 + i % 28:D2}", position: i % 3 == 0 ? "opposes the drills" : "will closely monitor the drills"))
            .ToArray();

        var statuses = new List<int>();
        await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (body, _) =>
        {
            var (status, _, _) = await app.Host.PostJsonAsync("/statements", body);
            lock (statuses) statuses.Add(status);
        });
        await app.WaitForProjectionsAsync();

        statuses.ShouldAllBe(s => s == 201);
        var position = await app.Host.GetJsonAsync($"/countries/TWN/positions/{topic}");
        position["historyTotal"]!.GetValue<int>().ShouldBe(200);
        var ids = await AllHistoryAsync("TWN", topic);
        ids.Order().ShouldBe(bodies.Select(b => b["statementId"]!.GetValue<string>()).Order());
    }

    /// <summary>Every statement id of the history, read page by page, oldest first.</summary>
    private async Task<List<string>> AllHistoryAsync(string country, string topic)
    {
        var ids = new List<string>();
        for (string? cursor = null, url = $"/countries/{country}/positions/{topic}/history?limit=37"; url is not null;)
        {
            var page = await app.Host.GetJsonAsync(url);
            ids.InsertRange(0, PositionJson.Column(page["items"], "statementId"));
            cursor = page["next"]?.GetValue<string>();
            url = cursor is null ? null : $"/countries/{country}/positions/{topic}/history?limit=37&cursor={Uri.EscapeDataString(cursor)}";
        }
        return ids;
    }

    [BoundedFact]
    public async Task a_new_statement_shows_in_the_projections_shortly_after_it_is_recorded()
    {
        var topic = StatementBodies.UniqueTopic("latency");
        var clock = Stopwatch.StartNew();
        var id = await RecordAsync(StatementBodies.Valid(topic, "KOR"));

        JsonNode? position = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            var (status, body, _) = await app.Host.SendAsync(HttpMethod.Get, $"/countries/KOR/positions/{topic}");
            if (status == 200) { position = body; break; }
            await Task.Delay(50);
        }

        output.WriteLine($"statement visible in the position history after {clock.ElapsedMilliseconds} ms");
        position.ShouldNotBeNull();
        position["current"]!["statementId"]!.GetValue<Guid>().ShouldBe(id);
    }

    [BoundedTheory]
    [InlineData("/countries/Narnia/positions")]
    [InlineData("/countries/JPN/positions/no-such-topic-anywhere")]
    [InlineData("/countries/JPN/positions/Not_A_Slug")]
    public async Task unknown_countries_and_topics_answer_404_problem(string url)
    {
        var (status, problem, response) = await app.Host.SendAsync(HttpMethod.Get, url);

        status.ShouldBe(404);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        problem!["detail"].ShouldNotBeNull();
    }
}
