using System.Text.Json.Nodes;
using Shouldly;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

/// <summary>
/// Every date parameter takes only the supported years: past them date arithmetic overflowed into a 500.
/// Outside the range the answer is a 400 naming the parameter; an empty value is taken as absent.
/// </summary>
[Collection(ApiCollection.Name)]
public class DateBoundsTests(AppFixture app)
{
    private static readonly string[] Edges = ["0001", "1799", "9999", "9999-12", "9999-12-31", ""];

    private static readonly (string Url, string Parameter)[] QueryParameters =
    [
        ("/countries/JPN/positions", "asOf"),
        ("/countries/JPN/positions", "knownAt"),
        ("/topics/china-russia-relations/positions", "asOf"),
        ("/statements", "from"),
        ("/statements", "to"),
        ("/shifts", "since"),
        ("/exports/positions.csv", "asOf"),
        ("/statements/00000000-0000-0000-0000-000000000001", "knownAt"),
    ];

    public static TheoryData<string, string, string> QueryEdges()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (url, parameter) in QueryParameters)
            foreach (var edge in Edges) data.Add(url, parameter, edge);
        return data;
    }

    [BoundedTheory]
    [MemberData(nameof(QueryEdges))]
    public async Task a_date_parameter_outside_the_supported_years_answers_400_naming_it(string url, string parameter, string value)
    {
        // Read as text: an export answers CSV.
        using var client = app.Host.Server.CreateClient();
        using var response = await client.GetAsync($"{url}?{parameter}={value}");
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();

        status.ShouldNotBe(500);
        if (value.Length == 0)
        {
            // Taken as absent: the answer is the one without the parameter.
            using var withoutIt = await client.GetAsync(url);
            status.ShouldBe((int)withoutIt.StatusCode, text);
            return;
        }
        status.ShouldBe(400, $"{url}?{parameter}={value} answered {text}");
        var body = JsonNode.Parse(text)!;
        body.ErrorFields().ShouldBe([parameter]);
    }

    public static TheoryData<string, string> BodyEdges()
    {
        var data = new TheoryData<string, string>();
        foreach (var field in new[] { "statedOn", "sources[0].publishedOn" })
            foreach (var edge in Edges) data.Add(field, edge);
        return data;
    }

    [BoundedTheory]
    [MemberData(nameof(BodyEdges))]
    public async Task a_date_field_outside_1800_to_today_or_empty_answers_400_naming_it(string field, string value)
    {
        var body = field == "statedOn"
            ? StatementBodies.Valid(topic: StatementBodies.UniqueTopic()).With("statedOn", value)
            : StatementBodies.Valid(topic: StatementBodies.UniqueTopic()).With("sources", new JsonArray(new JsonObject { ["publisher"] = "X", ["publishedOn"] = value }));

        var (status, problem, _) = await app.Host.PostJsonAsync("/statements", body);

        // In a body an empty date is not a date: 400 as well (leave the field out instead).
        status.ShouldBe(400, problem?.ToJsonString());
        problem!.ErrorFields().ShouldBe([field]);
    }
}
