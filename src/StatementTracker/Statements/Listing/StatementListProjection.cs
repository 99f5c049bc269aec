using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace StatementTracker.Statements.Listing;

/// <summary>
/// Keeps <see cref="StatementListTable"/> inline, with the events: each batch is folded to every statement's
/// latest list row here (pure), then written with one insert and one update. Corrections change what the
/// list filters on; a retraction changes the status; an added source changes nothing listed.
/// </summary>
public sealed class StatementListProjection(string schema) : IProjection
{
    public const string ProjectionName = "StatementList";

    private readonly string _table = StatementListTable.QualifiedName(schema);

    /// <summary>A statement's list row, as the batch leaves it.</summary>
    public sealed record Row(Guid Id, bool IsNew, StatementContent? Content, string? Status, long RecordedSeq, string? Dataset = null);

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var rows = Fold(events);
        var inserts = rows.Where(r => r.IsNew).ToArray();
        var updates = rows.Where(r => !r.IsNew).ToArray();
        if (inserts.Length > 0)
        {
            operations.QueueSqlCommand(
                $"""
                 insert into {_table} (id, country, topics, status, stated_from, recorded_seq, speaker_name, dataset)
                 select id, country, string_to_array(topics, ','), status, stated_from, recorded_seq, speaker_name, dataset
                 from unnest(?, ?, ?, ?, ?, ?, ?, ?) as r(id, country, topics, status, stated_from, recorded_seq, speaker_name, dataset)
                 """,
                inserts.Select(r => r.Id).ToArray(),
                inserts.Select(r => r.Content!.Country).ToArray(),
                inserts.Select(r => string.Join(',', r.Content!.Topics)).ToArray(),
                inserts.Select(r => r.Status ?? StatementStatus.Recorded).ToArray(),
                inserts.Select(r => r.Content!.StatedOn.FirstDay).ToArray(),
                inserts.Select(r => r.RecordedSeq).ToArray(),
                inserts.Select(r => r.Content!.Speaker.Name).ToArray(),
                inserts.Select(r => r.Dataset).ToArray());
        }
        if (updates.Length > 0)
        {
            operations.QueueSqlCommand(
                $"""
                 update {_table} l set
                   country = coalesce(r.country, l.country),
                   topics = coalesce(string_to_array(r.topics, ','), l.topics),
                   status = coalesce(r.status, l.status),
                   stated_from = coalesce(r.stated_from, l.stated_from),
                   speaker_name = coalesce(r.speaker_name, l.speaker_name)
                 from unnest(?, ?, ?, ?, ?, ?) as r(id, country, topics, status, stated_from, speaker_name)
                 where l.id = r.id
                 """,
                updates.Select(r => r.Id).ToArray(),
                updates.Select(r => r.Content?.Country).ToArray(),
                updates.Select(r => r.Content is null ? null : string.Join(',', r.Content.Topics)).ToArray(),
                updates.Select(r => r.Status).ToArray(),
                updates.Select(r => r.Content?.StatedOn.FirstDay).ToArray(),
                updates.Select(r => r.Content?.Speaker.Name).ToArray());
        }
        return Task.CompletedTask;
    }

    /// <summary>Each statement's row after the batch, in order of first appearance.</summary>
    public static IReadOnlyList<Row> Fold(IEnumerable<IEvent> events)
    {
        var rows = new Dictionary<Guid, Row>();
        var order = new List<Guid>();
        foreach (var e in events)
        {
            if (e.Data is not IStatementEvent statementEvent) continue;
            var id = statementEvent.StatementId;
            if (!rows.TryGetValue(id, out var row)) order.Add(id);
            rows[id] = e.Data switch
            {
                StatementRecorded recorded => new Row(id, true, recorded.Content, StatementStatus.Recorded, e.Sequence, recorded.Origin?.Dataset),
                StatementCorrected corrected => (row ?? new Row(id, false, null, null, 0)) with { Content = corrected.After },
                StatementRetracted => (row ?? new Row(id, false, null, null, 0)) with { Status = StatementStatus.Retracted },
                _ => row ?? new Row(id, false, null, null, 0),
            };
        }
        return order.Select(id => rows[id]).Where(r => r.IsNew || r.Content is not null || r.Status is not null).ToArray();
    }
}
