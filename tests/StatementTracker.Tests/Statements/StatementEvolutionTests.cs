using JasperFx.Events;
using Shouldly;
using StatementTracker.Statements;
using StatementTracker.Statements.Correcting;
using StatementTracker.Vocabulary;

namespace StatementTracker.Tests.Statements;

/// <summary>The statement's Apply methods and the correction decision, as pure functions of events.</summary>
public class StatementEvolutionTests
{
    private static readonly Guid Id = Guid.CreateVersion7();
    private static readonly DateTimeOffset Start = new(2024, 7, 4, 9, 0, 0, TimeSpan.Zero);

    private static readonly StatementContent Content = new(
        new Speaker("Hayashi Yoshimasa", "Chief Cabinet Secretary"), "JPN", ["china-russia-relations"],
        "will closely monitor the development of China-Russia relations", null, PartialDate.Parse("2024-07-04"),
        null, ["CHN", "RUS"], "press conference");

    private static IEvent<T> At<T>(T data, long version) where T : notnull =>
        new Event<T>(data) { Version = version, Timestamp = Start.AddMinutes(version) };

    private static Statement Recorded() =>
        Statement.Create(At(new StatementRecorded(Id, Content, [new Source("TV Asahi", null, null)], "analyst"), 1));

    [BoundedFact]
    public void a_recorded_statement_shows_its_content_with_the_inferred_stance()
    {
        var statement = Recorded();

        statement.Stance.ShouldBe(Stances.Monitor);
        statement.StanceInferred.ShouldBeTrue();
        statement.Version.ShouldBe(1);
        statement.RecordedAt.ShouldBe(Start.AddMinutes(1));
        statement.StatedWithin.ShouldBe(new DateSpan(new DateOnly(2024, 7, 4), new DateOnly(2024, 7, 4)));
        statement.ToContent().SameAs(Content).ShouldBeTrue();
    }

    [BoundedFact]
    public void a_correction_replaces_the_content_and_counts_itself()
    {
        var after = Content with { StatedOn = PartialDate.Parse("2024-07-03"), Stance = Stances.Concern };

        var statement = Recorded().Apply(At(new StatementCorrected(Id, Content, after, "wrong day", "editor"), 2));

        statement.StatedOn.ToString().ShouldBe("2024-07-03");
        statement.Stance.ShouldBe(Stances.Concern);
        statement.StanceInferred.ShouldBeFalse();
        statement.Corrections.ShouldBe(1);
        statement.Version.ShouldBe(2);
        statement.LastChangedAt.ShouldBe(Start.AddMinutes(2));
        statement.RecordedAt.ShouldBe(Start.AddMinutes(1));
    }

    [BoundedFact]
    public void sources_accumulate_and_a_retraction_keeps_everything_but_the_status()
    {
        var statement = Recorded()
            .Apply(At(new SourceAdded(Id, new Source("NHK", "https://nhk.example/a", null), "analyst"), 2))
            .Apply(At(new StatementRetracted(Id, "misattributed", "editor"), 3));

        statement.Sources.Select(s => s.Publisher).ShouldBe(["TV Asahi", "NHK"]);
        statement.IsRetracted.ShouldBeTrue();
        statement.Retraction.ShouldBe(new Retraction("misattributed", "editor", Start.AddMinutes(3)));
        statement.Position.ShouldBe(Content.Position);
    }

    [BoundedFact]
    public void a_correction_keeps_what_it_does_not_mention_and_clears_what_it_blanks()
    {
        var command = new CorrectStatement(1, "fix", null, "China", null, null, "", null, null, null, "");

        var after = command.Correct(Content with { Stance = Stances.Oppose });

        after.Country.ShouldBe("CHN");
        after.Stance.ShouldBeNull();
        after.Occasion.ShouldBeNull();
        after.Position.ShouldBe(Content.Position);
        after.Targets.ShouldBe(Content.Targets);
    }

    [BoundedFact]
    public void a_correction_to_the_same_values_decides_nothing()
    {
        var command = new CorrectStatement(1, "fix", null, "Japan", ["china-russia-relations"], null, null, "2024-07-04", null, null, null);

        command.Decide(Recorded(), "editor").ShouldBeNull();
    }

    [BoundedFact]
    public void the_changes_of_a_correction_name_each_field_that_differs()
    {
        var after = Content with { Country = "CHN", Topics = ["taiwan"], Quote = "verbatim" };

        CorrectionChanges.Between(Content, after).Select(c => c.Field).ShouldBe(["country", "topics", "quote"]);
    }
}
