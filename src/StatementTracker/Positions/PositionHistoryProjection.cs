using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using StatementTracker.Statements;

namespace StatementTracker.Positions;

/// <summary>
/// Projects statements into <see cref="PositionEntriesTable"/>, run by the async daemon. Each event
/// becomes SQL queued in the daemon's batch, applied in event order in one transaction with the
/// daemon's progress, so no update is lost under concurrent writes and a rebuild replays exactly.
/// It uses only the event and its metadata: no clock, no lookups.
/// </summary>
public sealed class PositionHistoryProjection : EventProjection
{
    public const string ProjectionName = "PositionHistory";

    private readonly string _table;

    public PositionHistoryProjection(string schema)
    {
        Name = ProjectionName;
        _table = PositionEntriesTable.QualifiedName(schema);
        SchemaObjects.Add(PositionEntriesTable.Define(schema));
        Options.DeleteDataInTableOnTeardown(_table);
        IncludeType<StatementRecorded>();
        IncludeType<StatementCorrected>();
        IncludeType<StatementRetracted>();
    }

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        switch (e.Data)
        {
            case StatementRecorded recorded:
                Supersede(operations, e, recorded.StatementId, recorded.Content);
                break;
            case StatementCorrected corrected:
                Supersede(operations, e, corrected.StatementId, corrected.After);
                break;
            case StatementRetracted retracted:
                Supersede(operations, e, retracted.StatementId, content: null);
                break;
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Closes the statement's current rows at the event's time and, unless it was retracted, opens one
    /// row per topic for its content from then on. A corrected statement keeps its place in recording
    /// order: the new rows take the recording sequence of the rows they replace.
    /// </summary>
    private void Supersede(IDocumentOperations operations, IEvent e, Guid statementId, StatementContent? content)
    {
        var knownFrom = e.Timestamp.ToUniversalTime();
        if (content is null)
        {
            operations.QueueSqlCommand(
                $"update {_table} set known_until = ? where statement_id = ? and known_until is null",
                knownFrom, statementId);
            return;
        }

        operations.QueueSqlCommand(
            $"""
             with closed as (
               update {_table} set known_until = ? where statement_id = ? and known_until is null
               returning recorded_seq)
             insert into {_table} (statement_id, topic, revision, country, known_from, recorded_seq,
               stated_from, stated_to, stated_precision, stated_on, stance, stance_inferred, position, speaker_name, speaker_role)
             select ?, topic, ?, ?, ?, coalesce((select min(recorded_seq) from closed), ?),
               ?, ?, ?, ?, ?, ?, ?, ?, ?
             from unnest(?) as topic
             """,
            knownFrom, statementId,
            statementId, e.Version, content.Country, knownFrom, e.Sequence,
            content.StatedOn.FirstDay, content.StatedOn.LastDay, (short)content.StatedOn.Precision, content.StatedOn.ToString(),
            content.EffectiveStance, content.StanceInferred, content.Position, content.Speaker.Name, (object?)content.Speaker.Role ?? DBNull.Value,
            content.Topics.ToArray());
    }
}
