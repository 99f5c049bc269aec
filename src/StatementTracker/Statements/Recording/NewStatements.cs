using JasperFx.Events;
using Marten;
using Npgsql;
using NpgsqlTypes;
using StatementTracker.Infrastructure;
using StatementTracker.Statements.Listing;

namespace StatementTracker.Statements.Recording;

public enum RecordingOutcome { Recorded, AlreadyRecorded, Conflict }

public sealed record RecordingResult(RecordingOutcome Kind, long Version);

/// <summary>
/// What happened to a group of statements recorded together (one POST, one batch, one imported row): all
/// recorded (or found already recorded), or none, because some ids were already taken by other content.
/// </summary>
/// <param name="Results">Per statement, in the group's order; empty when <paramref name="Conflicts"/> is not.</param>
/// <param name="Conflicts">The positions in the group whose id exists with other content.</param>
public sealed record GroupOutcome(IReadOnlyList<RecordingResult> Results, IReadOnlyList<int> Conflicts)
{
    public bool IsConflict => Conflicts.Count > 0;
}

/// <summary>A statement stamped with its recording time and serialised as its event and its document.</summary>
public sealed record PreparedStatement(StatementRecorded Recorded, DateTimeOffset Timestamp, string EventJson, string DocumentJson);

/// <summary>
/// Records new statements, many per transaction, in two round trips whatever their number: one reads what
/// the ids already hold, one statement writes the streams, the events, the statement documents and the list
/// rows of those that are new, exactly as Marten's append and the inline projections would write them (the
/// same events, the same documents; a test holds them equal). The async projections then pick the events up.
/// Recording is idempotent: an id seen before with the same content is answered as already recorded, with
/// other content as a conflict, and neither reaches the event table, so a refused write leaves no filler
/// event and no sequence gap. Two writers of one new id never both write it: the second one's insert finds
/// the stream taken, and its transaction is rolled back and tried again, when the read sees the first.
/// </summary>
public sealed class NewStatements(IDocumentStore store)
{
    private const int Attempts = 5;
    private readonly string _schema = store.Options.Events.DatabaseSchemaName;
    private readonly StoreOptions _options = (StoreOptions)store.Options;
    private Marten.Events.EventGraph Events => (Marten.Events.EventGraph)_options.Events;

    /// <summary>Stamps and serialises a statement (pure but for the clock), so it can be done ahead, on any thread.</summary>
    public PreparedStatement Prepare(StatementRecorded statement)
    {
        var serializer = store.Options.Serializer();
        var timestamp = _options.Events.TimeProvider.GetUtcNow();
        var e = new Event<StatementRecorded>(statement) { StreamId = statement.StatementId, Version = 1, Timestamp = timestamp };
        return new PreparedStatement(statement, timestamp, serializer.ToJson(statement), serializer.ToJson(Statement.Create(e)));
    }

    /// <summary>
    /// Commits the groups in one transaction. A group with an id taken by other content is left out whole;
    /// the rest are recorded. <paramref name="prepare"/> gives each new statement's stamped form (for a
    /// request, stamped now; for an import, prepared ahead). Bulk work runs without the statement time limit.
    /// </summary>
    public async Task<IReadOnlyList<GroupOutcome>> CommitAsync(
        IReadOnlyList<IReadOnlyList<StatementRecorded>> groups, Func<StatementRecorded, PreparedStatement> prepare, bool bulk,
        CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = store.Storage.Database.CreateConnection();
            await connection.OpenAsync(cancellation);
            await using var transaction = await connection.BeginTransactionAsync(cancellation);
            var ids = groups.SelectMany(g => g).Select(s => s.StatementId).Distinct().ToArray();
            var stored = await ReadStoredAsync(connection, ids, bulk, cancellation);
            var (outcomes, fresh) = Decide(groups, stored);
            if (fresh.Count == 0) return outcomes;

            var prepared = fresh.Select(prepare).ToArray();
            var written = await InsertAsync(connection, prepared, cancellation);
            if (written == prepared.Length)
            {
                await transaction.CommitAsync(cancellation);
                Operations.Telemetry.StatementsRecorded.Add(prepared.Length);
                return outcomes;
            }
            // Another writer recorded one of these ids after our read: read again, now that it has committed.
            await transaction.RollbackAsync(cancellation);
            if (attempt == Attempts)
                throw new InvalidOperationException($"Statement ids kept being recorded concurrently; gave up after {Attempts} attempts.");
        }
    }

    /// <summary>
    /// Compares each statement with what is stored and with the groups before it: pure. Answers each group's
    /// outcome and the statements to write, in order.
    /// </summary>
    public static (IReadOnlyList<GroupOutcome> Outcomes, IReadOnlyList<StatementRecorded> Fresh) Decide(
        IReadOnlyList<IReadOnlyList<StatementRecorded>> groups, IReadOnlyDictionary<Guid, (StatementRecorded Recorded, long Version)> stored)
    {
        var accepted = new Dictionary<Guid, StatementRecorded>();
        var fresh = new List<StatementRecorded>();
        var outcomes = new List<GroupOutcome>(groups.Count);
        foreach (var group in groups)
        {
            var inGroup = new Dictionary<Guid, StatementRecorded>();
            var results = new List<RecordingResult>(group.Count);
            var conflicts = new List<int>();
            for (var index = 0; index < group.Count; index++)
            {
                var statement = group[index];
                var earlier = stored.TryGetValue(statement.StatementId, out var s) ? s
                    : accepted.TryGetValue(statement.StatementId, out var a) ? (a, 1L)
                    : inGroup.TryGetValue(statement.StatementId, out var g) ? (g, 1L)
                    : default((StatementRecorded, long)?);
                if (earlier is not { } found)
                {
                    inGroup[statement.StatementId] = statement;
                    results.Add(new RecordingResult(RecordingOutcome.Recorded, 1));
                }
                else if (SameStatement(found.Item1, statement)) results.Add(new RecordingResult(RecordingOutcome.AlreadyRecorded, found.Item2));
                else conflicts.Add(index);
            }
            if (conflicts.Count > 0)
            {
                outcomes.Add(new GroupOutcome([], conflicts));
                continue;
            }
            foreach (var (id, statement) in inGroup)
            {
                accepted[id] = statement;
                fresh.Add(statement);
            }
            outcomes.Add(new GroupOutcome(results, []));
        }
        return (outcomes, fresh);
    }

    /// <summary>Same content and sources; who posted it does not make it a different statement.</summary>
    public static bool SameStatement(StatementRecorded a, StatementRecorded b) =>
        a.StatementId == b.StatementId && a.Content.SameAs(b.Content) && a.Sources.SequenceEqual(b.Sources) && a.Origin == b.Origin;

    /// <summary>Passes the write gate, then reads the first event and the version of each id already stored.</summary>
    private async Task<Dictionary<Guid, (StatementRecorded Recorded, long Version)>> ReadStoredAsync(
        NpgsqlConnection connection, Guid[] ids, bool bulk, CancellationToken cancellation)
    {
        await using var batch = new NpgsqlBatch(connection);
        if (bulk) batch.BatchCommands.Add(new NpgsqlBatchCommand("set local statement_timeout = 0"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(WriteGate.Bounded));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(WriteGate.Pass));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(WriteGate.Unbounded));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            $"""
             select s.id, s.version, e.data from {_schema}.mt_streams s
             join {_schema}.mt_events e on e.stream_id = s.id and e.version = 1
             where s.id = any($1)
             """)
        {
            Parameters = { new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid } },
        });
        var serializer = store.Options.Serializer();
        var stored = new Dictionary<Guid, (StatementRecorded, long)>();
        await using var reader = await batch.ExecuteReaderAsync(cancellation);
        // Past the gate's row (set has no result to skip).
        await reader.NextResultAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
            stored[reader.GetGuid(0)] = (serializer.FromJson<StatementRecorded>(reader, 2), reader.GetInt64(1));
        return stored;
    }

    /// <summary>
    /// One statement writes everything: sequence numbers in the statements' order, then the stream, event,
    /// document and list row of each. A stream already taken (by a writer we could not see) is skipped with
    /// the rest of its rows; the answer is how many were written.
    /// </summary>
    private async Task<int> InsertAsync(NpgsqlConnection connection, IReadOnlyList<PreparedStatement> fresh, CancellationToken cancellation)
    {
        var documents = store.Options.FindOrResolveDocumentType(typeof(Statement)).TableName.QualifiedName;
        var list = StatementListTable.QualifiedName(store.Options.DatabaseSchemaName);
        var sql =
            $"""
             with fresh as (
               select nextval('{_schema}.mt_events_sequence') as seq, u.*
               from (select * from unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::date[], $9::text[], $16::text[])
                     with ordinality as u(id, event_id, at, event_json, document_json, country, topics, stated_from, speaker_name, dataset, ord)
                     order by ord) u),
             streams as (
               insert into {_schema}.mt_streams (id, type, version, timestamp, created, tenant_id)
               select id, $10, 1, at, at, $11 from fresh
               on conflict (id) do nothing
               returning id),
             events as (
               insert into {_schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived)
               select f.seq, f.event_id, f.id, 1, f.event_json::jsonb, $12, f.at, $11, $13, false from fresh f join streams using (id)),
             documents as (
               insert into {documents} (id, data, mt_last_modified, mt_dotnet_type, mt_version)
               select f.id, f.document_json::jsonb, f.at, $14, 1 from fresh f join streams using (id)),
             listed as (
               insert into {list} (id, country, topics, status, stated_from, recorded_seq, speaker_name, dataset)
               select f.id, f.country, string_to_array(f.topics, ','), $15, f.stated_from, f.seq, f.speaker_name, f.dataset from fresh f join streams using (id))
             select count(*)::int from streams
             """;
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                // The service plans each execution afresh (see the connection string), and the read above must be:
                // a generic plan made while the tables were nearly empty went on scanning every event of a growing
                // store (848 POSTs/s instead of 2,700). This write does the same work every time, whatever the
                // tables hold, so it keeps one prepared plan and saves its planning on every commit.
                new NpgsqlBatchCommand("set local plan_cache_mode = auto"),
                new NpgsqlBatchCommand(sql)
                {
                    Parameters =
                    {
                        new NpgsqlParameter { Value = fresh.Select(p => p.Recorded.StatementId).ToArray() },
                        new NpgsqlParameter { Value = fresh.Select(_ => Guid.CreateVersion7()).ToArray() },
                        new NpgsqlParameter { Value = fresh.Select(p => p.Timestamp).ToArray() },
                        new NpgsqlParameter { Value = fresh.Select(p => p.EventJson).ToArray() },
                        new NpgsqlParameter { Value = fresh.Select(p => p.DocumentJson).ToArray() },
                        new NpgsqlParameter { Value = fresh.Select(p => p.Recorded.Content.Country).ToArray() },
                        new NpgsqlParameter { Value = fresh.Select(p => string.Join(',', p.Recorded.Content.Topics)).ToArray() },
                        new NpgsqlParameter { Value = fresh.Select(p => p.Recorded.Content.StatedOn.FirstDay).ToArray() },
                        new NpgsqlParameter { Value = fresh.Select(p => p.Recorded.Content.Speaker.Name).ToArray() },
                        new NpgsqlParameter { Value = Events.AggregateAliasFor(typeof(Statement)) },
                        new NpgsqlParameter { Value = DefaultTenant },
                        new NpgsqlParameter { Value = Events.EventMappingFor(typeof(StatementRecorded)).EventTypeName },
                        new NpgsqlParameter { Value = $"{typeof(StatementRecorded).FullName}, {typeof(StatementRecorded).Assembly.GetName().Name}" },
                        new NpgsqlParameter { Value = typeof(Statement).FullName! },
                        new NpgsqlParameter { Value = StatementStatus.Recorded },
                        new NpgsqlParameter { Value = fresh.Select(p => p.Recorded.Origin?.Dataset).ToArray() },
                    },
                },
                // Wake the async daemon, as Marten's append does.
                new NpgsqlBatchCommand(DaemonWakeups.Notify),
            },
        };
        return (int)(await batch.ExecuteScalarAsync(cancellation))!;
    }

    /// <summary>The tenant of an untenanted event store.</summary>
    private const string DefaultTenant = "*DEFAULT*";
}
