using System.Text.Json;
using System.Text.Json.Nodes;
using Shouldly;
using StatementTracker.Infrastructure;
using StatementTracker.Statements;
using StatementTracker.Statements.Recording;
using StatementTracker.Tests.Support;
using StatementTracker.Vocabulary;

namespace StatementTracker.Tests.Statements;

public class RecordStatementNormalisationTests
{
    private static StatementRecorded Recorded(JsonObject body) =>
        body.Deserialize<RecordStatement>(StrictJsonBody.Options)!.ToEvent(Guid.NewGuid(), "analyst");

    [BoundedFact]
    public void country_names_and_alpha2_codes_are_stored_as_alpha3()
    {
        Recorded(StatementBodies.Valid().With("country", "Japan")).Content.Country.ShouldBe("JPN");
        Recorded(StatementBodies.Valid().With("country", "JP")).Content.Country.ShouldBe("JPN");
        Recorded(StatementBodies.Valid().With("targets", new JsonArray("China", "RU", "China"))).Content.Targets.ShouldBe(["CHN", "RUS"]);
    }

    [BoundedFact]
    public void a_missing_stance_is_inferred_from_the_position_and_marked_inferred()
    {
        var content = Recorded(StatementBodies.Valid()).Content;

        content.Stance.ShouldBeNull();
        content.EffectiveStance.ShouldBe(Stances.Monitor);
        content.StanceInferred.ShouldBeTrue();
    }

    [BoundedFact]
    public void a_given_stance_is_kept_and_not_marked_inferred()
    {
        var content = Recorded(StatementBodies.Valid().With("stance", "concern")).Content;

        content.Stance.ShouldBe(Stances.Concern);
        content.StanceInferred.ShouldBeFalse();
    }

    [BoundedFact]
    public void a_position_nothing_recognises_is_unclassified() =>
        Recorded(StatementBodies.Valid().With("position", "held talks in Astana")).Content.EffectiveStance.ShouldBe(Stances.Unclassified);

    [BoundedFact]
    public void the_stated_date_keeps_its_precision() =>
        Recorded(StatementBodies.Valid().With("statedOn", "2024-07")).Content.StatedOn.Precision.ShouldBe(DatePrecision.Month);

    [BoundedFact]
    public void text_is_trimmed_and_blank_optional_text_is_dropped()
    {
        var content = Recorded(StatementBodies.Valid().With("position", "  will closely monitor  ").With("quote", "   ")).Content;

        content.Position.ShouldBe("will closely monitor");
        content.Quote.ShouldBeNull();
    }

    [BoundedFact]
    public void a_source_url_given_twice_is_kept_once()
    {
        var source = new JsonObject { ["publisher"] = "TV Asahi", ["url"] = "https://example.org/a" };
        var recorded = Recorded(StatementBodies.Valid().With("sources", new JsonArray(source.DeepClone(), source.DeepClone())));

        recorded.Sources.Count.ShouldBe(1);
    }
}
