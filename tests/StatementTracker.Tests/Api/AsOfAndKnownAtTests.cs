using System.Text.Json.Nodes;
using Shouldly;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

/// <summary>Positions and statements as of a stated date, and as the tracker knew them at an instant.</summary>
[Collection(ApiCollection.Name)]
public class AsOfAndKnownAtTests(AppFixture app)
{
    private static string[] Stances(JsonNode position) =>
        position["history"]!.AsArray().Select(e => e!["stance"]!.GetValue<string>()).ToArray();

    private static string At(JsonNode historyEvent) =>
        Uri.EscapeDataString(historyEvent["timestamp"]!.GetValue<DateTimeOffset>().ToString("O"));

    [BoundedFact]
    public async Task as_of_a_date_counts_only_statements_stated_by_then()
    {
        var topic = StatementBodies.UniqueTopic("asof");
        await app.Host.RecordAsync(StatementBodies.Valid(topic, "IND", "2024-07-01"));
        await app.Host.RecordAsync(StatementBodies.Valid(topic, "IND", "2024-08-01", position: "expresses concern about the drills"));
        await app.Host.RecordAsync(StatementBodies.Valid(topic, "IND", "2024-08", position: "urges restraint"));
        await app.Host.RecordAsync(StatementBodies.Valid(topic, "IND", "2024-09-01", position: "opposes the drills"));
        await app.WaitForProjectionsAsync();

        var midAugust = await app.Host.GetJsonAsync($"/countries/IND/positions/{topic}?asOf=2024-08-15");
        Stances(midAugust).ShouldBe(["monitor", "concern"]);
        midAugust["current"]!["stance"]!.GetValue<string>().ShouldBe("concern");
        midAugust["shifts"]!.AsArray().Count.ShouldBe(1);

        // "2024-08" spans all of August: it counts once August is over, and sorts before "2024-08-01".
        Stances(await app.Host.GetJsonAsync($"/countries/IND/positions/{topic}?asOf=2024-08")).ShouldBe(["monitor", "urge", "concern"]);
        Stances(await app.Host.GetJsonAsync($"/countries/IND/positions/{topic}")).ShouldBe(["monitor", "urge", "concern", "oppose"]);
        (await app.Host.SendAsync(HttpMethod.Get, $"/countries/IND/positions/{topic}?asOf=2024-06-30")).Status.ShouldBe(404);

        var countryView = await app.Host.GetJsonAsync($"/countries/IND/positions?asOf=2024-07-31");
        countryView["asOf"]!.GetValue<string>().ShouldBe("2024-07-31");
        var summary = countryView["topics"]!.AsArray().Single(t => t!["topic"]!.GetValue<string>() == topic)!;
        summary["current"]!["stance"]!.GetValue<string>().ShouldBe("monitor");
        summary["historyTotal"]!.GetValue<int>().ShouldBe(1);
        (await app.Host.GetJsonAsync($"/topics/{topic}/positions?asOf=2024-08-15"))["stances"]!.AsObject().Select(s => s.Key).ShouldBe(["concern"]);
    }

    [BoundedFact]
    public async Task known_at_an_instant_shows_what_the_tracker_showed_before_later_corrections_and_retractions()
    {
        var topic = StatementBodies.UniqueTopic("knownat");
        var first = await app.Host.RecordAsync(StatementBodies.Valid(topic, "AUS", "2024-07-01"));
        await app.Host.CorrectAsync(first, 1, new JsonObject { ["position"] = "expresses concern about the bombers" });
        var second = await app.Host.RecordAsync(StatementBodies.Valid(topic, "AUS", "2024-08-01", position: "opposes the bomber flights"));
        await app.Host.RetractAsync(second);
        await app.WaitForProjectionsAsync();
        var firstEvents = await app.HistoryEventsAsync(first);
        var secondEvents = await app.HistoryEventsAsync(second);
        string Url(JsonNode at, string extra = "") => $"/countries/AUS/positions/{topic}?knownAt={At(at)}{extra}";

        Stances(await app.Host.GetJsonAsync(Url(firstEvents[0]))).ShouldBe(["monitor"]);
        Stances(await app.Host.GetJsonAsync(Url(firstEvents[1]))).ShouldBe(["concern"]);
        var beforeRetraction = await app.Host.GetJsonAsync(Url(secondEvents[0]));
        Stances(beforeRetraction).ShouldBe(["concern", "oppose"]);
        beforeRetraction["shifts"]!.AsArray().Single()!["statementId"]!.GetValue<Guid>().ShouldBe(second);
        Stances(await app.Host.GetJsonAsync(Url(secondEvents[1]))).ShouldBe(["concern"]);
        Stances(await app.Host.GetJsonAsync($"/countries/AUS/positions/{topic}")).ShouldBe(["concern"]);

        Stances(await app.Host.GetJsonAsync(Url(secondEvents[0], "&asOf=2024-07-15"))).ShouldBe(["concern"]);
        var overview = await app.Host.GetJsonAsync($"/topics/{topic}/positions?knownAt={At(secondEvents[0])}");
        overview["stances"]!.AsObject().Select(s => s.Key).ShouldBe(["oppose"]);

        var beforeAnything = firstEvents[0]["timestamp"]!.GetValue<DateTimeOffset>().AddSeconds(-1).ToString("O");
        (await app.Host.SendAsync(HttpMethod.Get, $"/countries/AUS/positions/{topic}?knownAt={Uri.EscapeDataString(beforeAnything)}")).Status.ShouldBe(404);
    }

    [BoundedFact]
    public async Task a_statement_reads_as_it_stood_at_a_version_or_an_instant()
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid(statedOn: "2024-07-04"));
        await app.Host.CorrectAsync(id, 1, new JsonObject { ["statedOn"] = "2024-07-03" });
        var events = await app.HistoryEventsAsync(id);

        var original = await app.Host.GetJsonAsync($"/statements/{id}?version=1");
        original["statedOn"]!.GetValue<string>().ShouldBe("2024-07-04");
        original["version"]!.GetValue<long>().ShouldBe(1);
        (await app.Host.GetJsonAsync($"/statements/{id}?knownAt={At(events[0])}"))["statedOn"]!.GetValue<string>().ShouldBe("2024-07-04");
        (await app.Host.GetJsonAsync($"/statements/{id}?knownAt={At(events[1])}"))["statedOn"]!.GetValue<string>().ShouldBe("2024-07-03");
        (await app.Host.GetJsonAsync($"/statements/{id}"))["statedOn"]!.GetValue<string>().ShouldBe("2024-07-03");

        var beforeRecording = events[0]["timestamp"]!.GetValue<DateTimeOffset>().AddSeconds(-5).ToString("O");
        (await app.Host.SendAsync(HttpMethod.Get, $"/statements/{id}?knownAt={Uri.EscapeDataString(beforeRecording)}")).Status.ShouldBe(404);
        (await app.Host.SendAsync(HttpMethod.Get, $"/statements/{id}?version=3")).Status.ShouldBe(404);
    }

    [BoundedTheory]
    [InlineData("/statements/{id}?version=0", "version")]
    [InlineData("/statements/{id}?version=two", "version")]
    [InlineData("/statements/{id}?knownAt=yesterday", "knownAt")]
    [InlineData("/countries/JPN/positions?asOf=2024-13", "asOf")]
    [InlineData("/countries/JPN/positions?knownAt=soon", "knownAt")]
    [InlineData("/topics/taiwan/positions?asOf=July", "asOf")]
    [InlineData("/countries/JPN/positions/taiwan?historyLimit=0", "historyLimit")]
    public async Task bad_time_parameters_answer_400_naming_them(string url, string parameter)
    {
        var (status, problem, _) = await app.Host.SendAsync(HttpMethod.Get, url.Replace("{id}", Guid.CreateVersion7().ToString()));

        status.ShouldBe(400);
        problem!["errors"]!.AsObject().Select(e => e.Key).ShouldBe([parameter]);
    }

    [BoundedFact]
    public async Task re_dating_the_statement_that_caused_a_shift_moves_the_shift_and_retracting_it_removes_it()
    {
        var topic = StatementBodies.UniqueTopic("shifts");
        await app.Host.RecordAsync(StatementBodies.Valid(topic, "SGP", "2024-07-01"));
        var oppose = await app.Host.RecordAsync(StatementBodies.Valid(topic, "SGP", "2024-08-01", position: "opposes the blockade"));
        var monitorAgain = await app.Host.RecordAsync(StatementBodies.Valid(topic, "SGP", "2024-09-01", position: "will closely monitor developments"));
        await app.WaitForProjectionsAsync();
        static string[] Shifts(JsonNode position) => PositionJson.Shifts(position["shifts"]);

        Shifts(await app.Host.GetJsonAsync($"/countries/SGP/positions/{topic}"))
            .ShouldBe([$"monitor->oppose@2024-08-01:{oppose}", $"oppose->monitor@2024-09-01:{monitorAgain}"]);

        await app.Host.CorrectAsync(oppose, 1, new JsonObject { ["statedOn"] = "2024-10-01" });
        await app.WaitForProjectionsAsync();
        var redated = await app.Host.GetJsonAsync($"/countries/SGP/positions/{topic}");
        Shifts(redated).ShouldBe([$"monitor->oppose@2024-10-01:{oppose}"]);
        redated["current"]!["statementId"]!.GetValue<Guid>().ShouldBe(oppose);

        await app.Host.RetractAsync(oppose);
        await app.WaitForProjectionsAsync();
        Shifts(await app.Host.GetJsonAsync($"/countries/SGP/positions/{topic}")).ShouldBeEmpty();
    }

    [BoundedFact]
    public async Task a_correction_that_moves_a_statement_to_another_country_and_topic_moves_its_position()
    {
        var from = StatementBodies.UniqueTopic("moved");
        var to = StatementBodies.UniqueTopic("moved");
        var id = await app.Host.RecordAsync(StatementBodies.Valid(from, "KAZ"));

        await app.Host.CorrectAsync(id, 1, new JsonObject { ["country"] = "Uzbekistan", ["topics"] = new JsonArray(to) }, "misattributed to Kazakhstan");
        await app.WaitForProjectionsAsync();

        (await app.Host.SendAsync(HttpMethod.Get, $"/countries/KAZ/positions/{from}")).Status.ShouldBe(404);
        (await app.Host.GetJsonAsync($"/countries/UZB/positions/{to}"))["current"]!["statementId"]!.GetValue<Guid>().ShouldBe(id);

        // Before the correction, the country summaries show it where it was then, though nothing of it is left there now.
        var beforeCorrection = At((await app.HistoryEventsAsync(id))[0]);
        JsonNode? Summary(JsonNode countryView, string topic) =>
            countryView["topics"]!.AsArray().SingleOrDefault(t => t!["topic"]!.GetValue<string>() == topic);
        var kazakhstan = Summary(await app.Host.GetJsonAsync($"/countries/KAZ/positions?knownAt={beforeCorrection}"), from)!;
        kazakhstan["historyTotal"]!.GetValue<int>().ShouldBe(1);
        kazakhstan["current"]!["statementId"]!.GetValue<Guid>().ShouldBe(id);
        Summary(await app.Host.GetJsonAsync($"/countries/UZB/positions?knownAt={beforeCorrection}"), to).ShouldBeNull();
    }

    [BoundedFact]
    public async Task a_known_at_without_an_offset_is_read_as_utc()
    {
        var id = await app.Host.RecordAsync(StatementBodies.Valid(statedOn: "2024-07-04"));
        await app.Host.CorrectAsync(id, 1, new JsonObject { ["statedOn"] = "2024-07-03" });
        await app.WaitForProjectionsAsync();
        var events = await app.HistoryEventsAsync(id);
        // The instant of the recording, written as UTC wall-clock time with no offset or "Z".
        static string WithoutOffset(JsonNode e) =>
            e["timestamp"]!.GetValue<DateTimeOffset>().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture);

        var atRecording = await app.Host.GetJsonAsync($"/statements/{id}?knownAt={WithoutOffset(events[0])}");
        var atCorrection = await app.Host.GetJsonAsync($"/statements/{id}?knownAt={WithoutOffset(events[1])}");

        atRecording["statedOn"]!.GetValue<string>().ShouldBe("2024-07-04");
        atCorrection["statedOn"]!.GetValue<string>().ShouldBe("2024-07-03");
        var position = await app.Host.GetJsonAsync($"/countries/JPN/positions/china-russia-relations?knownAt={WithoutOffset(events[1])}");
        position["knownAt"]!.GetValue<DateTimeOffset>().ShouldBe(events[1]["timestamp"]!.GetValue<DateTimeOffset>());
        position["knownAt"]!.GetValue<DateTimeOffset>().Offset.ShouldBe(TimeSpan.Zero);
    }
}
