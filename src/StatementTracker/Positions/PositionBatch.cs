using JasperFx.Events;
using StatementTracker.Statements;
using StatementTracker.Vocabulary;

namespace StatementTracker.Positions;

/// <summary>
/// One batch of statement events turned into the column arrays that <see cref="PositionBatchSql"/> takes:
/// the statements whose present rows close (and when), and the rows to insert. Events are taken in order,
/// so a statement recorded and corrected in one batch gets its first row closed by the correction here.
/// Pure: built from the events and their metadata only.
/// </summary>
public sealed class PositionBatch
{
    private readonly List<(Guid StatementId, DateTimeOffset At)> _closes = [];
    private readonly List<Row> _rows = [];
    // The rows this batch opened per statement that are still open, and the recording order each statement takes.
    private readonly Dictionary<Guid, List<int>> _open = [];
    private readonly Dictionary<Guid, long> _recordedSeq = [];
    private readonly HashSet<Guid> _closedInStore = [];

    public sealed record Row(
        Guid StatementId, string Topic, long Revision, string Country, DateTimeOffset KnownFrom, DateTimeOffset? KnownUntil,
        long? RecordedSeq, StatementContent Content);

    public IReadOnlyList<(Guid StatementId, DateTimeOffset At)> Closes => _closes;
    public IReadOnlyList<Row> Rows => _rows;

    /// <summary>The time of the batch's last event: when the shifts it raises were raised.</summary>
    public DateTimeOffset At { get; private set; }

    /// <summary>The sequence of the batch's last event.</summary>
    public long Sequence { get; private set; }

    public bool IsEmpty => _closes.Count == 0 && _rows.Count == 0;

    public static PositionBatch From(IEnumerable<IEvent> events)
    {
        var batch = new PositionBatch();
        foreach (var e in events) batch.Add(e);
        return batch;
    }

    public void Add(IEvent e)
    {
        var at = e.Timestamp.ToUniversalTime();
        switch (e.Data)
        {
            case StatementRecorded recorded:
                _recordedSeq[recorded.StatementId] = e.Sequence;
                Open(recorded.StatementId, e.Version, at, recorded.Content);
                break;
            case StatementCorrected corrected:
                Close(corrected.StatementId, at);
                Open(corrected.StatementId, e.Version, at, corrected.After);
                break;
            case StatementRetracted retracted:
                Close(retracted.StatementId, at);
                break;
            default:
                return;
        }
        At = at;
        Sequence = Math.Max(Sequence, e.Sequence);
    }

    private void Close(Guid statementId, DateTimeOffset at)
    {
        if (_open.Remove(statementId, out var opened))
        {
            foreach (var index in opened) _rows[index] = _rows[index] with { KnownUntil = at };
        }
        else if (!_recordedSeq.ContainsKey(statementId) && _closedInStore.Add(statementId))
        {
            _closes.Add((statementId, at));
        }
    }

    private void Open(Guid statementId, long revision, DateTimeOffset at, StatementContent content)
    {
        var opened = new List<int>();
        foreach (var topic in content.Topics)
        {
            opened.Add(_rows.Count);
            _rows.Add(new Row(statementId, topic, revision, content.Country, at, null, _recordedSeq.GetValueOrDefault(statementId) is > 0 and var seq ? seq : null, content));
        }
        _open[statementId] = opened;
    }

    /// <summary>The function's arguments, in its order; <paramref name="raiseShifts"/> is false while rebuilding.</summary>
    public object[] Arguments(bool raiseShifts)
    {
        var stances = _rows.Select(r => r.Content.EffectiveStance).ToArray();
        return
        [
            _closes.Select(c => c.StatementId).ToArray(),
            _closes.Select(c => c.At).ToArray(),
            _rows.Select(r => r.StatementId).ToArray(),
            _rows.Select(r => r.Topic).ToArray(),
            _rows.Select(r => r.Revision).ToArray(),
            _rows.Select(r => r.Country).ToArray(),
            _rows.Select(r => r.KnownFrom).ToArray(),
            _rows.Select(r => r.KnownUntil).ToArray(),
            _rows.Select(r => r.RecordedSeq).ToArray(),
            _rows.Select(r => r.Content.StatedOn.FirstDay).ToArray(),
            _rows.Select(r => r.Content.StatedOn.LastDay).ToArray(),
            _rows.Select(r => (short)r.Content.StatedOn.Precision).ToArray(),
            _rows.Select(r => r.Content.StatedOn.ToString()).ToArray(),
            stances,
            stances.Select(StanceFamilies.Of).ToArray(),
            stances.Select(StanceFamilies.IsSubstantive).ToArray(),
            _rows.Select(r => r.Content.StanceInferred).ToArray(),
            _rows.Select(r => r.Content.Position).ToArray(),
            _rows.Select(r => r.Content.Speaker.Name).ToArray(),
            _rows.Select(r => r.Content.Speaker.Role).ToArray(),
            _rows.Select(r => Targets.Key(r.Content.Targets)).ToArray(),
            raiseShifts,
            At,
            Sequence,
        ];
    }
}
