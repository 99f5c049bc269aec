using System.Text.Json.Nodes;
using Shouldly;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

/// <summary><c>historyLimit</c> on one topic's position: 50 entries unless asked, the totals beside them counting every entry.</summary>
[Collection(ApiCollection.Name)]
public class HistoryLimitTests(AppFixture app)
{
    private const int Recorded = 51;

    private async Task<string> TopicWithHistoryAsync()
    {
        var topic = StatementBodies.UniqueTopic("limit");
        var start = new DateOnly(2020, 1, 1);
        var batch = new JsonArray(Enumerable.Range(0, Recorded)
            .Select(day => (JsonNode)StatementBodies.Valid(topic, statedOn: start.AddDays(day).ToString("yyyy-MM-dd"))).ToArray());
        var (status, answer, _) = await app.Host.SendAsync(HttpMethod.Post, "/statements/batch", batch.ToJsonString());
        status.ShouldBe(201, answer?.ToJsonString());
        await app.WaitForProjectionsAsync();
        return topic;
    }

    private static string[] Dates(JsonNode position) => position["history"]!.AsArray().Select(e => e!["statedOn"]!.GetValue<string>()).ToArray();

    [BoundedFact]
    public async Task the_latest_50_entries_come_by_default_oldest_first_with_the_totals_and_a_cursor_to_the_rest()
    {
        var topic = await TopicWithHistoryAsync();

        var position = await app.Host.GetJsonAsync($"/countries/JPN/positions/{topic}");

        var dates = Dates(position);
        dates.Length.ShouldBe(50);
        (dates[0], dates[^1]).ShouldBe(("2020-01-02", "2020-02-20"));
        position["historyTotal"]!.GetValue<int>().ShouldBe(Recorded);
        // Every statement has the same stance: one history, no shift.
        position["shiftsTotal"]!.GetValue<int>().ShouldBe(0);
        var rest = await app.Host.GetJsonAsync($"/countries/JPN/positions/{topic}/history?cursor={Uri.EscapeDataString(position["historyNext"]!.GetValue<string>())}");
        rest["items"]!.AsArray().Select(e => e!["statedOn"]!.GetValue<string>()).ShouldBe(["2020-01-01"]);
        rest["next"].ShouldBeNull();
    }

    [BoundedFact]
    public async Task a_larger_history_limit_under_the_cap_returns_every_entry_and_no_cursor()
    {
        var topic = await TopicWithHistoryAsync();

        var position = await app.Host.GetJsonAsync($"/countries/JPN/positions/{topic}?historyLimit=500");

        Dates(position).Length.ShouldBe(Recorded);
        position["historyTotal"]!.GetValue<int>().ShouldBe(Recorded);
        position["historyNext"].ShouldBeNull();
    }
}
