using System.Text.Json.Nodes;
using Shouldly;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Api;

/// <summary>The README's length limits at their boundaries, and where line breaks and tabs may go.</summary>
[Collection(ApiCollection.Name)]
public class FieldLimitsTests(AppFixture app)
{
    // Every code here differs from the statement's own country (JPN).
    private static readonly string[] Countries =
        ["CHN", "RUS", "USA", "KOR", "PRK", "TWN", "IND", "AUS", "GBR", "FRA", "DEU", "ITA", "CAN", "BRA", "MEX", "IDN", "VNM", "PHL", "THA", "MYS", "SGP"];

    /// <summary>The body with <paramref name="field"/> made exactly <paramref name="size"/> long, and the answer's JSON path to it.</summary>
    private static (JsonObject Body, string Path) Sized(string field, int size)
    {
        var body = StatementBodies.Valid();
        var text = new string('a', size);
        switch (field)
        {
            case "speaker.name": body["speaker"]!["name"] = text; return (body, field);
            case "speaker.role": body["speaker"]!["role"] = text; return (body, field);
            case "sources[0].publisher": body["sources"]![0]!["publisher"] = text; return (body, field);
            case "occasion": return (body.With("occasion", text), field);
            case "sources[0].url":
                const string prefix = "https://example.org/";
                body["sources"]![0]!["url"] = prefix + new string('a', size - prefix.Length);
                return (body, field);
            case "targets": return (body.With("targets", new JsonArray(Countries.Take(size).Select(c => (JsonNode)c).ToArray())), field);
            case "topics[0]": return (body.With("topics", new JsonArray((JsonNode)new string('t', size))), field);
            default: throw new ArgumentException(field);
        }
    }

    [BoundedTheory]
    [InlineData("speaker.name", 200)]
    [InlineData("speaker.role", 200)]
    [InlineData("sources[0].publisher", 200)]
    [InlineData("occasion", 300)]
    [InlineData("sources[0].url", 2048)]
    [InlineData("targets", 20)]
    [InlineData("topics[0]", 64)]
    public async Task a_field_at_its_limit_is_recorded_and_one_past_it_is_refused_naming_the_field(string field, int limit)
    {
        var (atLimit, _) = Sized(field, limit);
        var (pastLimit, path) = Sized(field, limit + 1);

        var id = await app.Host.RecordAsync(atLimit);
        var refused = await app.AssertWritesNothing(() => app.Host.PostJsonAsync("/statements", pastLimit));

        (await app.Host.GetJsonAsync($"/statements/{id}"))["id"]!.GetValue<Guid>().ShouldBe(id);
        refused.ShouldBeProblem(400).ErrorFields().ShouldBe([path]);
    }

    [BoundedFact]
    public async Task a_quote_keeps_its_line_breaks_and_tabs()
    {
        const string quote = "First line,\nsecond line\r\n\tand an indented third.";

        var id = await app.Host.RecordAsync(StatementBodies.Valid().With("quote", quote));

        (await app.Host.GetJsonAsync($"/statements/{id}"))["quote"]!.GetValue<string>().ShouldBe(quote);
    }

    [BoundedTheory]
    [InlineData("position", "\n")]
    [InlineData("position", "\t")]
    [InlineData("occasion", "\n")]
    [InlineData("speaker.name", "\t")]
    [InlineData("speaker.role", "\r\n")]
    [InlineData("sources[0].publisher", "\n")]
    public async Task other_fields_refuse_line_breaks_and_tabs(string field, string whitespace)
    {
        var body = StatementBodies.Valid();
        var value = $"before{whitespace}after";
        switch (field)
        {
            case "speaker.name": body["speaker"]!["name"] = value; break;
            case "speaker.role": body["speaker"]!["role"] = value; break;
            case "sources[0].publisher": body["sources"]![0]!["publisher"] = value; break;
            default: body[field] = value; break;
        }

        var refused = await app.AssertWritesNothing(() => app.Host.PostJsonAsync("/statements", body));

        refused.ShouldBeProblem(400).ErrorFields().ShouldBe([field]);
    }
}
