using Shouldly;
using StatementTracker.Positions;
using StatementTracker.Statements;
using StatementTracker.Vocabulary;

namespace StatementTracker.Tests.Positions;

public class TopicTimelineTests
{
    private static HistoryEntry Entry(string stance, string statedOn) =>
        new(Guid.NewGuid(), new Speaker("Hayashi Yoshimasa", null), $"{stance} position", stance, false, PartialDate.Parse(statedOn));

    [BoundedFact]
    public void the_latest_entry_is_current_and_history_keeps_the_given_order()
    {
        var entries = new[] { Entry("monitor", "2024-07-04"), Entry("concern", "2024-08"), Entry("oppose", "2024-09-01") };

        var position = TopicTimeline.Of("china-russia-relations", entries);

        position.Current.ShouldBe(entries[2]);
        position.History.ShouldBe(entries);
        position.HistoryTotal.ShouldBe(3);
    }

    [BoundedFact]
    public void a_shift_is_recorded_where_the_stance_differs_from_the_previous_entry()
    {
        var entries = new[]
        {
            Entry("monitor", "2024-07-04"), Entry("monitor", "2024-07-05"),
            Entry("concern", "2024-08-01"), Entry("monitor", "2024-09-01"),
        };

        var position = TopicTimeline.Of("china-russia-relations", entries);

        position.Shifts.ShouldBe([
            new Shift("monitor", "concern", PartialDate.Parse("2024-08-01"), entries[2].StatementId),
            new Shift("concern", "monitor", PartialDate.Parse("2024-09-01"), entries[3].StatementId),
        ]);
    }

    [BoundedFact]
    public void one_stance_throughout_has_no_shifts() =>
        TopicTimeline.Of("taiwan", [Entry("oppose", "2020"), Entry("oppose", "2024")]).Shifts.ShouldBeEmpty();

    [BoundedFact]
    public void a_limit_keeps_the_latest_entries_and_shifts_but_counts_them_all()
    {
        var entries = Enumerable.Range(1, 10).Select(day => Entry(day % 2 == 0 ? "support" : "oppose", $"2024-01-{day:D2}")).ToArray();

        var position = TopicTimeline.Of("taiwan", entries, limit: 3);

        position.History.ShouldBe(entries[7..]);
        position.HistoryTotal.ShouldBe(10);
        position.Shifts.Select(s => s.StatementId).ShouldBe(entries[7..].Select(e => e.StatementId));
        position.ShiftsTotal.ShouldBe(9);
        position.Current.ShouldBe(entries[9]);
    }
}
