using StatementTracker.Statements;
using StatementTracker.Vocabulary;

namespace StatementTracker.Positions;

/// <summary>A stance with its family, as every position read shows it.</summary>
public sealed record StanceOf(string Stance, string Family)
{
    public static StanceOf Code(string stance) => new(stance, StanceFamilies.Of(stance));
}

/// <summary>One statement in a country's history on a topic, as the tracker shows it.</summary>
/// <param name="RecordedAt">When this version of the statement was recorded (its recording or its latest correction).</param>
public sealed record HistoryEntry(
    Guid StatementId,
    Speaker Speaker,
    string Position,
    string Stance,
    string Family,
    bool StanceInferred,
    PartialDate StatedOn,
    IReadOnlyList<string> Targets,
    DateTimeOffset RecordedAt)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsSubstantive => StanceFamilies.IsSubstantive(Stance);
}

/// <summary>
/// A point where the country's stance on the topic differs from its previous substantive stance. Non-positions
/// (no-comment, unclassified) never start or end one.
/// </summary>
public sealed record Shift(StanceOf From, StanceOf To, PartialDate StatedOn, Guid StatementId, DateTimeOffset RecordedAt);

/// <summary>Where a country stands on one topic, and how much history is behind it.</summary>
/// <param name="Current">The latest substantive entry; only when there is none, the latest entry.</param>
public sealed record TopicSummary(string Topic, HistoryEntry Current, int HistoryTotal, int ShiftsTotal, Shift? LastShift);

/// <summary>
/// The rules of a position, as a pure fold over a topic's entries in history order (stated date, then
/// recording order): the specification the SQL reads and the projection are checked against.
/// </summary>
public sealed class TopicTimeline(string topic)
{
    private readonly List<HistoryEntry> _history = [];
    private readonly List<Shift> _shifts = [];
    private HistoryEntry? _latest;
    private HistoryEntry? _latestSubstantive;

    public IReadOnlyList<HistoryEntry> History => _history;
    public IReadOnlyList<Shift> Shifts => _shifts;

    public TopicTimeline Add(HistoryEntry entry)
    {
        if (entry.IsSubstantive)
        {
            if (_latestSubstantive is { } previous && previous.Stance != entry.Stance)
                _shifts.Add(new Shift(StanceOf.Code(previous.Stance), StanceOf.Code(entry.Stance), entry.StatedOn, entry.StatementId, entry.RecordedAt));
            _latestSubstantive = entry;
        }
        _history.Add(entry);
        _latest = entry;
        return this;
    }

    public TopicSummary ToSummary() =>
        _latest is null
            ? throw new InvalidOperationException($"No entries for topic {topic}.")
            : new TopicSummary(topic, _latestSubstantive ?? _latest, _history.Count, _shifts.Count, _shifts.LastOrDefault());

    public static TopicTimeline Of(string topic, IEnumerable<HistoryEntry> entriesInOrder)
    {
        var timeline = new TopicTimeline(topic);
        foreach (var entry in entriesInOrder) timeline.Add(entry);
        return timeline;
    }
}
