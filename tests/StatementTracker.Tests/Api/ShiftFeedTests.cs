using System.ServiceModel.Syndication;
using System.Text.Json.Nodes;
using System.Xml;
using Shouldly;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

/// <summary>The shifts across the tracker, newest stated first: as JSON pages and as an Atom feed.</summary>
[Collection(ApiCollection.Name)]
public class ShiftFeedTests(AppFixture app)
{
    private readonly string _topic = StatementBodies.UniqueTopic("feed");

    private Task<Guid> SayAsync(string country, string statedOn, string stance) =>
        app.Host.RecordAsync(StatementBodies.Valid(_topic, country, statedOn, position: $"states {stance}").With("stance", stance));

    /// <summary>GRC: monitor, oppose, no-comment, support. CYP: concern, then welcome.</summary>
    private async Task<(Guid GreeceOpposes, Guid GreeceSupports, Guid CyprusWelcomes)> RecordAsync()
    {
        await SayAsync("GRC", "2024-01", "monitor");
        var opposes = await SayAsync("GRC", "2024-03-10", "oppose");
        await SayAsync("GRC", "2024-04", "no-comment");
        var supports = await SayAsync("GRC", "2024-05-02", "support");
        await SayAsync("CYP", "2024-02", "concern");
        var welcomes = await SayAsync("CYP", "2024-04-20", "welcome");
        await app.WaitForProjectionsAsync();
        return (opposes, supports, welcomes);
    }

    [BoundedFact]
    public async Task the_feed_lists_shifts_newest_stated_first_with_stances_families_and_when_recorded()
    {
        var (opposes, supports, welcomes) = await RecordAsync();

        var feed = await app.Host.GetJsonAsync($"/shifts?topic={_topic}");

        PositionJson.Shifts(feed["items"]).ShouldBe([
            $"oppose->support@2024-05-02:{supports}",
            $"concern->welcome@2024-04-20:{welcomes}",
            $"monitor->oppose@2024-03-10:{opposes}",
        ]);
        var newest = feed["items"]![0]!;
        newest["country"]!.GetValue<string>().ShouldBe("GRC");
        newest["topic"]!.GetValue<string>().ShouldBe(_topic);
        newest["from"]!["family"]!.GetValue<string>().ShouldBe("critical");
        newest["to"]!["family"]!.GetValue<string>().ShouldBe("favourable");
        newest["recordedAt"]!.GetValue<DateTimeOffset>().ShouldBe((await app.HistoryEventsAsync(supports))[0]["timestamp"]!.GetValue<DateTimeOffset>());
        feed["next"].ShouldBeNull();
    }

    [BoundedFact]
    public async Task the_feed_filters_by_country_topic_and_stated_date_and_pages_by_cursor()
    {
        var (opposes, supports, welcomes) = await RecordAsync();

        PositionJson.Shifts((await app.Host.GetJsonAsync($"/shifts?topic={_topic}&country=Cyprus"))["items"])
            .ShouldBe([$"concern->welcome@2024-04-20:{welcomes}"]);
        PositionJson.Shifts((await app.Host.GetJsonAsync($"/shifts?topic={_topic}&since=2024-04"))["items"])
            .ShouldBe([$"oppose->support@2024-05-02:{supports}", $"concern->welcome@2024-04-20:{welcomes}"]);

        var first = await app.Host.GetJsonAsync($"/shifts?topic={_topic}&limit=2");
        first["items"]!.AsArray().Count.ShouldBe(2);
        var second = await app.Host.GetJsonAsync($"/shifts?topic={_topic}&limit=2&cursor={Uri.EscapeDataString(first["next"]!.GetValue<string>())}");
        PositionJson.Shifts(second["items"]).ShouldBe([$"monitor->oppose@2024-03-10:{opposes}"]);
        second["next"].ShouldBeNull();
    }

    [BoundedFact]
    public async Task a_correction_or_retraction_that_removes_a_shift_removes_it_from_the_feed()
    {
        var (opposes, supports, welcomes) = await RecordAsync();

        await app.Host.CorrectAsync(supports, 1, new JsonObject { ["stance"] = "oppose" }, "misread: it was opposition");
        await app.Host.RetractAsync(welcomes);
        await app.WaitForProjectionsAsync();

        PositionJson.Shifts((await app.Host.GetJsonAsync($"/shifts?topic={_topic}"))["items"])
            .ShouldBe([$"monitor->oppose@2024-03-10:{opposes}"]);
    }

    [BoundedFact]
    public async Task the_atom_feed_is_read_by_a_real_feed_parser()
    {
        var (opposes, supports, welcomes) = await RecordAsync();

        using var client = app.Host.Server.CreateClient();
        using var response = await client.GetAsync($"/shifts.atom?topic={_topic}");
        ((int)response.StatusCode).ShouldBe(200);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/atom+xml");
        using var reader = XmlReader.Create(await response.Content.ReadAsStreamAsync());
        var feed = SyndicationFeed.Load(reader);

        feed.Title.Text.ShouldContain(_topic);
        feed.Items.Select(i => i.Title.Text).ShouldBe([
            $"Greece on {_topic}: oppose → support",
            $"Cyprus on {_topic}: concern → welcome",
            $"Greece on {_topic}: monitor → oppose",
        ]);
        var newest = feed.Items.First();
        newest.Links.Single(l => l.RelationshipType == "alternate").Uri.AbsolutePath.ShouldBe($"/countries/GRC/positions/{_topic}");
        newest.Links.Single(l => l.RelationshipType == "related").Uri.AbsolutePath.ShouldBe($"/statements/{supports}");
        newest.Id.ShouldContain(supports.ToString());
        feed.Items.Select(i => i.Id).Distinct().Count().ShouldBe(3);
        feed.LastUpdatedTime.ShouldBe(feed.Items.Max(i => i.LastUpdatedTime));
        _ = (opposes, welcomes);
    }

    [BoundedTheory]
    [InlineData("/shifts?since=2024-13", "since")]
    [InlineData("/shifts?since=", null)]
    [InlineData("/shifts?cursor=not-a-cursor", "cursor")]
    [InlineData("/shifts?country=Narnia", "country")]
    [InlineData("/shifts?topic=Not_A_Slug", "topic")]
    [InlineData("/shifts?limit=0", "limit")]
    [InlineData("/shifts.atom?since=tomorrow", "since")]
    public async Task bad_feed_parameters_answer_400_naming_them(string url, string? parameter)
    {
        var (status, problem, _) = await app.Host.SendAsync(HttpMethod.Get, url);

        if (parameter is null)
        {
            status.ShouldBe(200, "an empty parameter is no filter");
            return;
        }
        status.ShouldBe(400);
        problem!["errors"]!.AsObject().Select(e => e.Key).ShouldBe([parameter]);
    }
}
