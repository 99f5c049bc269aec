using System.Text.Json;
using System.Text.Json.Nodes;
using Shouldly;
using StatementTracker.Infrastructure;
using StatementTracker.Statements.Recording;
using StatementTracker.Tests.Support;

namespace StatementTracker.Tests.Statements;

/// <summary>The shape rules of POST /statements, as pure validation of the command.</summary>
public class RecordStatementValidationTests
{
    private static readonly RecordStatement.Validator Validator = new(FixedClock.Today);

    private static IDictionary<string, string[]> ErrorsFor(JsonObject body)
    {
        var command = body.Deserialize<RecordStatement>(StrictJsonBody.Options)!;
        var result = Validator.Validate(command);
        return Problems.Validation(result).Errors;
    }

    [BoundedFact]
    public void a_complete_statement_is_valid() =>
        ErrorsFor(StatementBodies.Valid()).ShouldBeEmpty();

    [BoundedTheory]
    [InlineData("speaker")]
    [InlineData("country")]
    [InlineData("topics")]
    [InlineData("position")]
    [InlineData("statedOn")]
    public void each_required_field_is_named_when_missing(string field) =>
        ErrorsFor(StatementBodies.Valid().Without(field)).Keys.ShouldBe([field]);

    [BoundedFact]
    public void a_speaker_without_a_name_is_rejected_at_its_path() =>
        ErrorsFor(StatementBodies.Valid().With("speaker", new JsonObject { ["role"] = "Minister" })).Keys.ShouldBe(["speaker.name"]);

    [BoundedTheory]
    [InlineData("country", "Narnia")]
    [InlineData("country", "   ")]
    [InlineData("stance", "supportive")]
    [InlineData("stance", "unclassified")]
    [InlineData("statedOn", "2024-13-01")]
    [InlineData("statedOn", "04/07/2024")]
    [InlineData("statedOn", "1799-12-31")]
    [InlineData("statedOn", "2026-11-28")]
    [InlineData("statedOn", "2027")]
    [InlineData("position", "line one\u0007bell")]
    public void an_invalid_value_is_rejected_under_its_field(string field, string value) =>
        ErrorsFor(StatementBodies.Valid().With(field, value)).Keys.ShouldBe([field]);

    [BoundedFact]
    public void today_and_year_or_month_precision_dates_are_accepted()
    {
        ErrorsFor(StatementBodies.Valid().With("statedOn", "2026-11-27")).ShouldBeEmpty();
        ErrorsFor(StatementBodies.Valid().With("statedOn", "2026-11")).ShouldBeEmpty();
        ErrorsFor(StatementBodies.Valid().With("statedOn", "1800")).ShouldBeEmpty();
    }

    [BoundedFact]
    public void every_string_has_a_length_limit()
    {
        var tooLong = new string('a', 6000);
        foreach (var field in new[] { "position", "quote", "occasion", "country", "stance", "statedOn" })
            ErrorsFor(StatementBodies.Valid().With(field, tooLong)).Keys.ShouldContain(field);
        ErrorsFor(StatementBodies.Valid().With("speaker", new JsonObject { ["name"] = tooLong, ["role"] = tooLong }))
            .Keys.Order().ShouldBe(["speaker.name", "speaker.role"]);
    }

    [BoundedTheory]
    [InlineData(0)]
    [InlineData(11)]
    public void between_one_and_ten_topics_are_allowed(int count) =>
        ErrorsFor(StatementBodies.Valid().With("topics", new JsonArray(Enumerable.Range(0, count).Select(i => (JsonNode)$"topic-{i}").ToArray())))
            .Keys.ShouldBe(["topics"]);

    [BoundedTheory]
    [InlineData("China-Russia")]
    [InlineData("china_russia")]
    [InlineData("china--russia")]
    [InlineData("-china")]
    [InlineData("")]
    public void topics_must_be_kebab_case_slugs(string topic) =>
        ErrorsFor(StatementBodies.Valid().With("topics", new JsonArray("taiwan", topic))).Keys.ShouldBe(["topics[1]"]);

    [BoundedTheory]
    [InlineData("ftp://example.org/report")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/relative/path")]
    [InlineData("not a url")]
    public void source_urls_must_be_http_or_https(string url) =>
        ErrorsFor(StatementBodies.Valid().With("sources", new JsonArray(new JsonObject { ["publisher"] = "X", ["url"] = url })))
            .Keys.ShouldBe(["sources[0].url"]);

    [BoundedFact]
    public void unknown_target_countries_are_named_by_index() =>
        ErrorsFor(StatementBodies.Valid().With("targets", new JsonArray("CHN", "Atlantis"))).Keys.ShouldBe(["targets[1]"]);
}
