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
    }

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        switch (e.Data)
        {
            case StatementRecorded recorded:
                Open(operations, e, recorded.StatementId, recorded.Content, recordedSequence: e.Sequence);
                break;
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Adds the statement's current rows, one per topic, known from this event on.</summary>
    private void Open(IDocumentOperations operations, IEvent e, Guid statementId, StatementContent content, long recordedSequence)
    {
        foreach (var topic in content.Topics)
        {
            operations.QueueSqlCommand(
                $"""
                 insert into {_table} (statement_id, topic, revision, country, known_from, recorded_seq,
                   stated_from, stated_to, stated_precision, stated_on, stance, stance_inferred, position, speaker_name, speaker_role)
                 values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                 """,
                statementId, topic, e.Version, content.Country, e.Timestamp.ToUniversalTime(), recordedSequence,
                content.StatedOn.FirstDay, content.StatedOn.LastDay, (short)content.StatedOn.Precision, content.StatedOn.ToString(),
                content.Stance, content.StanceInferred, content.Position, content.Speaker.Name, (object?)content.Speaker.Role ?? DBNull.Value);
        }
    }
}
