using StatementTracker.Statements;
using StatementTracker.Vocabulary;

namespace StatementTracker.Positions;

/// <summary>One statement in a country's history on a topic.</summary>
public sealed record HistoryEntry(
    Guid StatementId,
    Speaker Speaker,
    string Position,
    string Stance,
    bool StanceInferred,
    PartialDate StatedOn);

/// <summary>A point where the country's stance on the topic differs from its previous statement.</summary>
public sealed record Shift(string From, string To, PartialDate StatedOn, Guid StatementId);

/// <summary>A country's position on one topic: where it stands now, and how it got there.</summary>
/// <param name="HistoryTotal">How many entries the history has; <paramref name="History"/> holds the latest of them.</param>
/// <param name="ShiftsTotal">How many shifts there are; <paramref name="Shifts"/> holds the latest of them.</param>
public sealed record TopicPosition(
    string Topic,
    HistoryEntry Current,
    IReadOnlyList<HistoryEntry> History,
    IReadOnlyList<Shift> Shifts,
    int HistoryTotal,
    int ShiftsTotal);

/// <summary>
/// Folds a topic's entries, given in history order (stated date, then recording order), into a
/// <see cref="TopicPosition"/>. Pure: the same entries always give the same position. Only the
/// latest <c>limit</c> entries and shifts are kept, so a long history costs constant memory.
/// </summary>
public sealed class TopicTimeline(string topic, int limit)
{
    private readonly Queue<HistoryEntry> _recent = new();
    private readonly Queue<Shift> _shifts = new();
    private HistoryEntry? _latest;
    private int _total;
    private int _shiftsTotal;

    public string Topic => topic;

    public TopicTimeline Add(HistoryEntry entry)
    {
        if (_latest is not null && _latest.Stance != entry.Stance)
        {
            KeepLatest(_shifts, new Shift(_latest.Stance, entry.Stance, entry.StatedOn, entry.StatementId));
            _shiftsTotal++;
        }

        KeepLatest(_recent, entry);
        _latest = entry;
        _total++;
        return this;
    }

    public TopicPosition ToPosition() =>
        _latest is null
            ? throw new InvalidOperationException($"No entries for topic {topic}.")
            : new TopicPosition(topic, _latest, _recent.ToArray(), _shifts.ToArray(), _total, _shiftsTotal);

    public static TopicPosition Of(string topic, IEnumerable<HistoryEntry> entriesInOrder, int limit = int.MaxValue)
    {
        var timeline = new TopicTimeline(topic, limit);
        foreach (var entry in entriesInOrder) timeline.Add(entry);
        return timeline.ToPosition();
    }

    private void KeepLatest<T>(Queue<T> kept, T item)
    {
        kept.Enqueue(item);
        if (kept.Count > limit) kept.Dequeue();
    }
}
