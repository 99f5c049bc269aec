using System.Text.Json.Nodes;
using Shouldly;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

/// <summary>
/// Alignment between countries: only current substantive stances count, stances directed at different
/// targets are listed as not comparable and never counted, and score = sameFamily / commonTopics.
/// The countries of each scene speak only in these tests (and the ranking's only in its own), so the counts are theirs.
/// </summary>
[Collection(ApiCollection.Name)]
public class AlignmentTests(AppFixture app)
{
    private readonly string[] _topics = Enumerable.Range(1, 4).Select(i => StatementBodies.UniqueTopic($"align{i}")).ToArray();

    private Task<Guid> SayAsync(string country, int topic, string stance, params string[] targets) =>
        app.Host.RecordAsync(StatementBodies.Valid(_topics[topic], country, "2024-07-01", position: $"states {stance}")
            .With("stance", stance)
            .With("targets", new JsonArray(targets.Select(t => (JsonNode)t).ToArray())));

    /// <summary>
    /// Topic 0: NIC and CUB support China, SRB supports Taiwan, NOR is concerned about China.
    /// Topic 1: NIC opposes, CUB condemns, SRB supports, NOR declines to comment.
    /// Topic 2: NIC commits, CUB welcomes.
    /// Topic 3: NIC and SRB monitor, CUB declines to comment.
    /// (Or the same with the four countries given.)
    /// </summary>
    private async Task<Guid> RecordTheSceneAsync(string nic = "NIC", string cub = "CUB", string srb = "SRB", string nor = "NOR")
    {
        await SayAsync(nic, 0, "support", "CHN");
        await SayAsync(cub, 0, "support", "CHN");
        await SayAsync(srb, 0, "support", "TWN");
        await SayAsync(nor, 0, "concern", "CHN");
        var nicOpposes = await SayAsync(nic, 1, "oppose");
        await SayAsync(cub, 1, "condemn");
        await SayAsync(srb, 1, "support");
        await SayAsync(nor, 1, "no-comment");
        await SayAsync(nic, 2, "commit");
        await SayAsync(cub, 2, "welcome");
        await SayAsync(nic, 3, "monitor");
        await SayAsync(srb, 3, "monitor");
        await SayAsync(cub, 3, "no-comment");
        await app.WaitForProjectionsAsync();
        return nicOpposes;
    }

    [BoundedFact]
    public async Task two_countries_agree_on_the_topics_where_their_comparable_stances_share_a_family()
    {
        await RecordTheSceneAsync();

        var withCuba = await app.Host.GetJsonAsync($"/countries/NIC/alignment/CUB?topics={string.Join(',', _topics)}");
        withCuba["commonTopics"]!.GetValue<int>().ShouldBe(3);
        withCuba["sameFamily"]!.GetValue<int>().ShouldBe(3);
        withCuba["sameStance"]!.GetValue<int>().ShouldBe(1);
        withCuba["score"]!.GetValue<double>().ShouldBe(1.0);
        withCuba["topics"]!.AsArray().Select(t => t!["topic"]!.GetValue<string>()).ShouldBe(_topics[..3].Order(StringComparer.Ordinal));

        // Support for Taiwan is not agreement with support for China: listed, never counted.
        var withSerbia = await app.Host.GetJsonAsync($"/countries/NIC/alignment/SRB?topics={string.Join(',', _topics)}");
        withSerbia["commonTopics"]!.GetValue<int>().ShouldBe(2);
        withSerbia["sameFamily"]!.GetValue<int>().ShouldBe(1);
        withSerbia["score"]!.GetValue<double>().ShouldBe(0.5);
        var taiwan = withSerbia["topics"]!.AsArray().Single(t => t!["topic"]!.GetValue<string>() == _topics[0])!;
        taiwan["comparable"]!.GetValue<bool>().ShouldBeFalse();
        taiwan["sameFamily"].ShouldBeNull();
        taiwan["a"]!["targets"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["CHN"]);
        taiwan["b"]!["targets"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["TWN"]);

        var onlyFirst = await app.Host.GetJsonAsync($"/countries/NIC/alignment/CUB?topics={_topics[0]}");
        onlyFirst["commonTopics"]!.GetValue<int>().ShouldBe(1);
        var none = await app.Host.GetJsonAsync($"/countries/NIC/alignment/NOR?topics={_topics[1]}");
        none["commonTopics"]!.GetValue<int>().ShouldBe(0);
        none["score"].ShouldBeNull();
        none["topics"]!.AsArray().ShouldBeEmpty("a non-position is not a stance to compare");
    }

    [BoundedFact]
    public async Task a_country_s_alignment_ranks_the_others_with_enough_common_topics_by_score()
    {
        await RecordTheSceneAsync("PRY", "URY", "BOL", "ECU");

        var ranking = await app.Host.GetJsonAsync("/countries/PRY/alignment?minCommonTopics=1");
        ranking["minCommonTopics"]!.GetValue<int>().ShouldBe(1);
        ranking["countries"]!.AsArray().Select(c => $"{c!["country"]}:{c["commonTopics"]}:{c["sameFamily"]}:{c["score"]}")
            .ShouldBe(["URY:3:3:1", "BOL:2:1:0.5", "ECU:1:0:0"]);
        (await app.Host.GetJsonAsync("/countries/PRY/alignment?minCommonTopics=2"))["countries"]!.AsArray().Select(c => c!["country"]!.GetValue<string>())
            .ShouldBe(["URY", "BOL"]);
        (await app.Host.GetJsonAsync("/countries/PRY/alignment"))["countries"]!.AsArray().Select(c => c!["country"]!.GetValue<string>())
            .ShouldBe(["URY"], "the default asks for 3 common topics");
    }

    [BoundedFact]
    public async Task a_topic_s_alignment_compares_every_pair_and_groups_by_family_and_targets()
    {
        await RecordTheSceneAsync();

        var alignment = await app.Host.GetJsonAsync($"/topics/{_topics[0]}/alignment");

        alignment["countries"]!.AsArray().Select(c => $"{c!["country"]}:{c["stance"]}:{c["family"]}").ShouldBe(
            ["CUB:support:favourable", "NIC:support:favourable", "NOR:concern:guarded", "SRB:support:favourable"]);
        alignment["pairs"]!.AsArray().Select(p => $"{p!["a"]}-{p["b"]}:{p["comparable"]}:{p["sameFamily"]?.ToString() ?? "-"}:{p["sameStance"]?.ToString() ?? "-"}").ShouldBe(
        [
            "CUB-NIC:true:true:true", "CUB-NOR:true:false:false", "CUB-SRB:false:-:-",
            "NIC-NOR:true:false:false", "NIC-SRB:false:-:-", "NOR-SRB:false:-:-",
        ]);
        alignment["groups"]!.AsArray().Select(g => $"{g!["family"]}[{string.Join(',', g["targets"]!.AsArray())}]:{string.Join(',', g["countries"]!.AsArray())}").ShouldBe(
            ["favourable[CHN]:CUB,NIC", "favourable[TWN]:SRB", "guarded[CHN]:NOR"]);

        var fourth = await app.Host.GetJsonAsync($"/topics/{_topics[3]}/alignment");
        fourth["countries"]!.AsArray().Select(c => c!["country"]!.GetValue<string>()).ShouldBe(["NIC", "SRB"], "CUB only declined to comment");
    }

    [BoundedFact]
    public async Task alignment_takes_as_of_and_known_at()
    {
        var nicOpposes = await RecordTheSceneAsync();
        await app.Host.CorrectAsync(nicOpposes, 1, new JsonObject { ["stance"] = "support" });
        await app.WaitForProjectionsAsync();
        var recorded = (await app.HistoryEventsAsync(nicOpposes))[1]["timestamp"]!.GetValue<DateTimeOffset>().AddMilliseconds(-1);
        var topics = $"topics={_topics[1]}";

        (await app.Host.GetJsonAsync($"/countries/NIC/alignment/CUB?{topics}"))["sameFamily"]!.GetValue<int>().ShouldBe(0);
        var before = await app.Host.GetJsonAsync($"/countries/NIC/alignment/CUB?{topics}&knownAt={Uri.EscapeDataString(recorded.ToString("O"))}");
        before["sameFamily"]!.GetValue<int>().ShouldBe(1);
        before["knownAt"].ShouldNotBeNull();
        (await app.Host.GetJsonAsync($"/countries/NIC/alignment/CUB?{topics}&asOf=2024-06"))["commonTopics"]!.GetValue<int>().ShouldBe(0);
        (await app.Host.GetJsonAsync($"/topics/{_topics[1]}/alignment?asOf=2024-06"))["countries"]!.AsArray().ShouldBeEmpty();
        (await app.Host.GetJsonAsync($"/countries/NIC/alignment?minCommonTopics=1&asOf=2024-06"))["countries"]!.AsArray().ShouldBeEmpty();
    }

    [BoundedTheory]
    [InlineData("/countries/Narnia/alignment", 404, null)]
    [InlineData("/countries/NIC/alignment/Narnia", 404, null)]
    [InlineData("/topics/no-statement-was-ever-about-this/alignment", 404, null)]
    [InlineData("/countries/NIC/alignment/CUB?topics=Not_A_Slug", 400, "topics")]
    [InlineData("/countries/NIC/alignment?minCommonTopics=0", 400, "minCommonTopics")]
    [InlineData("/countries/NIC/alignment/CUB?knownAt=later", 400, "knownAt")]
    [InlineData("/countries/NIC/alignment?asOf=someday", 400, "asOf")]
    public async Task bad_alignment_requests_answer_problems_naming_what_is_wrong(string url, int expected, string? parameter)
    {
        var (status, problem, response) = await app.Host.SendAsync(HttpMethod.Get, url);

        status.ShouldBe(expected);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        if (parameter is not null) problem!["errors"]!.AsObject().Select(e => e.Key).ShouldBe([parameter]);
    }
}
