using Shouldly;
using StatementTracker.Positions;
using StatementTracker.Statements;
using StatementTracker.Vocabulary;

namespace StatementTracker.Tests.Positions;

public class TopicTimelineTests
{
    private static readonly DateTimeOffset RecordedAt = new(2024, 7, 5, 0, 0, 0, TimeSpan.Zero);

    private static HistoryEntry Entry(string stance, string statedOn) =>
        new(Guid.NewGuid(), new Speaker("Hayashi Yoshimasa", null), $"{stance} position", stance, StanceFamilies.Of(stance), false,
            PartialDate.Parse(statedOn), ["CHN", "RUS"], RecordedAt);

    private static Shift ShiftAt(HistoryEntry from, HistoryEntry to) =>
        new(StanceOf.Code(from.Stance), StanceOf.Code(to.Stance), to.StatedOn, to.StatementId, to.RecordedAt);

    [BoundedFact]
    public void the_latest_substantive_entry_is_current_and_history_keeps_the_given_order()
    {
        var entries = new[] { Entry("monitor", "2024-07-04"), Entry("concern", "2024-08"), Entry("oppose", "2024-09-01") };

        var timeline = TopicTimeline.Of("china-russia-relations", entries);

        timeline.ToSummary().Current.ShouldBe(entries[2]);
        timeline.History.ShouldBe(entries);
        timeline.ToSummary().HistoryTotal.ShouldBe(3);
    }

    [BoundedFact]
    public void a_shift_is_recorded_where_the_stance_differs_from_the_previous_substantive_one()
    {
        var entries = new[]
        {
            Entry("monitor", "2024-07-04"), Entry("monitor", "2024-07-05"),
            Entry("concern", "2024-08-01"), Entry("monitor", "2024-09-01"),
        };

        var timeline = TopicTimeline.Of("china-russia-relations", entries);

        timeline.Shifts.ShouldBe([ShiftAt(entries[1], entries[2]), ShiftAt(entries[2], entries[3])]);
        timeline.ToSummary().LastShift.ShouldBe(ShiftAt(entries[2], entries[3]));
        timeline.ToSummary().ShiftsTotal.ShouldBe(2);
    }

    [BoundedFact]
    public void one_stance_throughout_has_no_shifts() =>
        TopicTimeline.Of("taiwan", [Entry("oppose", "2020"), Entry("oppose", "2024")]).Shifts.ShouldBeEmpty();

    [BoundedFact]
    public void declining_to_comment_after_a_position_leaves_the_position_current_and_starts_no_shift()
    {
        var monitor = Entry("monitor", "2024-07-04");
        var noComment = Entry("no-comment", "2024-07-04");

        var summary = TopicTimeline.Of("china-russia-relations", [monitor, noComment]).ToSummary();

        summary.Current.ShouldBe(monitor);
        summary.HistoryTotal.ShouldBe(2);
        summary.ShiftsTotal.ShouldBe(0);
        summary.LastShift.ShouldBeNull();
    }

    [BoundedFact]
    public void a_non_position_between_two_stances_neither_ends_nor_starts_a_shift_they_compare_directly()
    {
        var entries = new[] { Entry("oppose", "2024-01"), Entry("unclassified", "2024-02"), Entry("no-comment", "2024-03"), Entry("oppose", "2024-04"), Entry("no-comment", "2024-05"), Entry("support", "2024-06") };

        var timeline = TopicTimeline.Of("taiwan", entries);

        timeline.Shifts.ShouldBe([ShiftAt(entries[3], entries[5])]);
        timeline.ToSummary().Current.ShouldBe(entries[5]);
    }

    [BoundedFact]
    public void with_nothing_but_non_positions_the_latest_of_them_is_current()
    {
        var entries = new[] { Entry("no-comment", "2024-01"), Entry("unclassified", "2024-02") };

        var summary = TopicTimeline.Of("taiwan", entries).ToSummary();

        summary.Current.ShouldBe(entries[1]);
        summary.ShiftsTotal.ShouldBe(0);
    }
}
