using System.Text.Json.Nodes;
using Shouldly;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

[Collection(ApiCollection.Name)]
public class ListingStatementsTests(AppFixture app)
{
    private static Guid[] Ids(JsonNode page) => page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()).ToArray();

    [BoundedFact]
    public async Task statements_are_listed_newest_stated_first_and_filtered_by_country_and_topic()
    {
        var topic = StatementBodies.UniqueTopic("listing");
        var older = StatementBodies.Valid(topic, "KAZ", "2024-07-03");
        var newer = StatementBodies.Valid(topic, "KAZ", "2024-07-05");
        var elsewhere = StatementBodies.Valid(topic, "UZB", "2024-07-06");
        foreach (var body in new[] { older, newer, elsewhere }) await app.Host.PostJsonAsync("/statements", body);

        var page = await app.Host.GetJsonAsync($"/statements?country=Kazakhstan&topic={topic}");

        Ids(page).ShouldBe([Guid.Parse(newer["statementId"]!.GetValue<string>()), Guid.Parse(older["statementId"]!.GetValue<string>())]);
        page["next"].ShouldBeNull();
        page.AsObject().ContainsKey("total").ShouldBeFalse("the total is counted only when asked for");
        (await app.Host.GetJsonAsync($"/statements?country=Kazakhstan&topic={topic}&count=exact"))["total"]!.GetValue<long>().ShouldBe(2);
    }

    [BoundedFact]
    public async Task statements_are_filtered_by_speaker_and_stated_date_range()
    {
        var topic = StatementBodies.UniqueTopic("range");
        var july = StatementBodies.Valid(topic, statedOn: "2024-07-04");
        var august = StatementBodies.Valid(topic, statedOn: "2024-08").With("speaker", new JsonObject { ["name"] = "Yoko Kamikawa" });
        var september = StatementBodies.Valid(topic, statedOn: "2024-09-10");
        foreach (var body in new[] { july, august, september }) await app.Host.PostJsonAsync("/statements", body);

        Ids(await app.Host.GetJsonAsync($"/statements?topic={topic}&from=2024-08&to=2024-08-31"))
            .ShouldBe([Guid.Parse(august["statementId"]!.GetValue<string>())]);
        Ids(await app.Host.GetJsonAsync($"/statements?topic={topic}&speaker=kamikawa"))
            .ShouldBe([Guid.Parse(august["statementId"]!.GetValue<string>())]);
        (await app.Host.GetJsonAsync($"/statements?topic={topic}&from=2024-07-05&count=exact"))["total"]!.GetValue<long>().ShouldBe(2);
    }

    [BoundedFact]
    public async Task pages_hold_at_most_the_page_size_and_the_page_size_is_capped()
    {
        var topic = StatementBodies.UniqueTopic("paging");
        for (var day = 1; day <= 5; day++) await app.Host.PostJsonAsync("/statements", StatementBodies.Valid(topic, statedOn: $"2024-03-{day:D2}"));

        var first = await app.Host.GetJsonAsync($"/statements?topic={topic}&pageSize=2&count=exact");
        first["items"]!.AsArray().Select(i => i!["statedOn"]!.GetValue<string>()).ShouldBe(["2024-03-05", "2024-03-04"]);
        first["total"]!.GetValue<long>().ShouldBe(5);
        first["totalIsLowerBound"]!.GetValue<bool>().ShouldBeFalse();
        var second = await app.Host.GetJsonAsync($"/statements?topic={topic}&pageSize=2&cursor={Uri.EscapeDataString(first["next"]!.GetValue<string>())}");
        second["items"]!.AsArray().Select(i => i!["statedOn"]!.GetValue<string>()).ShouldBe(["2024-03-03", "2024-03-02"]);
        var third = await app.Host.GetJsonAsync($"/statements?topic={topic}&pageSize=2&cursor={Uri.EscapeDataString(second["next"]!.GetValue<string>())}");
        third["items"]!.AsArray().Select(i => i!["statedOn"]!.GetValue<string>()).ShouldBe(["2024-03-01"]);
        third["next"].ShouldBeNull();

        (await app.Host.GetJsonAsync($"/statements?topic={topic}&pageSize=100000"))["pageSize"]!.GetValue<int>().ShouldBe(100);
    }

    [BoundedTheory]
    [InlineData("page=2", "page")]
    [InlineData("pageSize=-1", "pageSize")]
    [InlineData("pageSize=abc", "pageSize")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("count=roughly", "count")]
    [InlineData("country=Narnia", "country")]
    [InlineData("topic=Not%20A%20Slug", "topic")]
    [InlineData("from=2024-13", "from")]
    [InlineData("to=yesterday", "to")]
    public async Task bad_query_parameters_answer_400_naming_the_parameter(string query, string parameter)
    {
        var (status, problem, _) = await app.Host.SendAsync(HttpMethod.Get, $"/statements?{query}");

        status.ShouldBe(400);
        problem!["errors"]!.AsObject().Select(e => e.Key).ShouldBe([parameter]);
    }

    [BoundedFact]
    public async Task status_lists_recorded_statements_by_default_retracted_ones_or_all()
    {
        var topic = StatementBodies.UniqueTopic("status");
        var kept = await app.Host.RecordAsync(StatementBodies.Valid(topic, statedOn: "2024-07-01"));
        var withdrawn = await app.Host.RecordAsync(StatementBodies.Valid(topic, statedOn: "2024-07-02"));
        await app.Host.RetractAsync(withdrawn);

        Ids(await app.Host.GetJsonAsync($"/statements?topic={topic}")).ShouldBe([kept]);
        Ids(await app.Host.GetJsonAsync($"/statements?topic={topic}&status=recorded")).ShouldBe([kept]);
        Ids(await app.Host.GetJsonAsync($"/statements?topic={topic}&status=retracted")).ShouldBe([withdrawn]);
        Ids(await app.Host.GetJsonAsync($"/statements?topic={topic}&status=all")).ShouldBe([withdrawn, kept]);
        (await app.Host.GetJsonAsync($"/statements?topic={topic}&status=all&count=exact"))["total"]!.GetValue<long>().ShouldBe(2);
    }
}
