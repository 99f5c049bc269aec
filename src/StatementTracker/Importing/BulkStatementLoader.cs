using JasperFx.Events;
using Marten;
using Npgsql;
using NpgsqlTypes;
using StatementTracker.Infrastructure;
using StatementTracker.Statements;
using StatementTracker.Statements.Listing;
using StatementTracker.Statements.Recording;

namespace StatementTracker.Importing;

/// <summary>What loading one chunk did to each of its statements.</summary>
public enum LoadOutcome { Imported, AlreadyPresent, Conflict }

/// <summary>A statement stamped with its recording time and serialised as its event and its document, ready to copy in.</summary>
public sealed record PreparedStatement(StatementRecorded Recorded, DateTimeOffset Timestamp, string EventJson, string DocumentJson);

/// <summary>
/// Loads new statements in bulk: for each chunk, one transaction that copies the streams, the events and
/// the statement documents in with binary COPY, and writes the list rows, exactly as recording them one by
/// one would (the same events, the same documents); the async projections then pick the events up. Ids
/// already stored are answered as already present (same content) or as conflicts (other content) and are
/// not written, so loading a file again, or after an interruption, adds nothing twice.
/// </summary>
public sealed class BulkStatementLoader(IDocumentStore store)
{
    private readonly string _schema = store.Options.Events.DatabaseSchemaName;
    private readonly StoreOptions _options = (StoreOptions)store.Options;
    private Marten.Events.EventGraph Events => (Marten.Events.EventGraph)_options.Events;

    /// <summary>The tenant of an untenanted event store.</summary>
    private const string DefaultTenant = "*DEFAULT*";

    /// <summary>Stamps and serialises a statement; pure but for the clock, so it can run on any thread ahead of the load.</summary>
    public PreparedStatement Prepare(StatementRecorded statement)
    {
        var serializer = store.Options.Serializer();
        var timestamp = _options.Events.TimeProvider.GetUtcNow();
        var e = new Event<StatementRecorded>(statement) { StreamId = statement.StatementId, Version = 1, Timestamp = timestamp };
        return new PreparedStatement(statement, timestamp, serializer.ToJson(statement), serializer.ToJson(Statement.Create(e)));
    }

    public async Task<IReadOnlyList<LoadOutcome>> LoadAsync(IReadOnlyList<PreparedStatement> prepared, CancellationToken cancellation)
    {
        var chunk = prepared.Select(p => p.Recorded).ToList();
        await using var session = store.LightweightSession();
        await session.BeginTransactionAsync(cancellation);
        var connection = (NpgsqlConnection)session.Connection!;
        var stored = await StoredAsync(connection, chunk.Select(s => s.StatementId).Distinct().ToArray(), cancellation);

        var outcomes = new LoadOutcome[chunk.Count];
        var fresh = new List<PreparedStatement>();
        var seen = new Dictionary<Guid, StatementRecorded>();
        for (var i = 0; i < chunk.Count; i++)
        {
            var statement = chunk[i];
            var earlier = stored.GetValueOrDefault(statement.StatementId) ?? seen.GetValueOrDefault(statement.StatementId);
            outcomes[i] = earlier is null ? LoadOutcome.Imported
                : StatementWriter.SameStatement(earlier, statement) ? LoadOutcome.AlreadyPresent
                : LoadOutcome.Conflict;
            if (earlier is null)
            {
                seen[statement.StatementId] = statement;
                fresh.Add(prepared[i]);
            }
        }
        if (fresh.Count == 0) return outcomes;

        var events = await NewEventsAsync(connection, fresh, cancellation);
        await CopyStreamsAsync(connection, events, cancellation);
        await CopyEventsAsync(connection, events, fresh, cancellation);
        await CopyDocumentsAsync(connection, events, fresh, cancellation);
        await new StatementListProjection(store.Options.DatabaseSchemaName).ApplyAsync(session, events, cancellation);
        // Wake the async daemon, as an append does.
        session.QueueSqlCommand("select pg_notify('mt_events_appended', '')");
        await session.SaveChangesAsync(cancellation);
        return outcomes;
    }

    /// <summary>The first event of each id already stored.</summary>
    private async Task<Dictionary<Guid, StatementRecorded>> StoredAsync(NpgsqlConnection connection, Guid[] ids, CancellationToken cancellation)
    {
        await using var command = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("set local statement_timeout = 0"),
                new NpgsqlBatchCommand(WriteGate.Pass),
                new NpgsqlBatchCommand($"select e.stream_id, e.data from {_schema}.mt_events e where e.stream_id = any($1) and e.version = 1")
                {
                    Parameters = { new NpgsqlParameter { Value = ids } },
                },
            },
        };
        var serializer = store.Options.Serializer();
        var stored = new Dictionary<Guid, StatementRecorded>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        // Past the gate's row (statements without rows, such as set, have no result to skip).
        await reader.NextResultAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) stored[reader.GetGuid(0)] = serializer.FromJson<StatementRecorded>(reader, 1);
        return stored;
    }

    /// <summary>The events as the event store would number and stamp them: sequence numbers taken from its sequence.</summary>
    private async Task<IReadOnlyList<IEvent<StatementRecorded>>> NewEventsAsync(
        NpgsqlConnection connection, IReadOnlyList<PreparedStatement> fresh, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand($"select nextval('{_schema}.mt_events_sequence') from generate_series(1, $1)", connection)
        {
            Parameters = { new NpgsqlParameter { Value = fresh.Count } },
        };
        var sequences = new List<long>(fresh.Count);
        await using (var reader = await command.ExecuteReaderAsync(cancellation))
            while (await reader.ReadAsync(cancellation)) sequences.Add(reader.GetInt64(0));
        sequences.Sort();
        return fresh.Select((statement, i) => (IEvent<StatementRecorded>)new Event<StatementRecorded>(statement.Recorded)
        {
            Id = Guid.CreateVersion7(),
            StreamId = statement.Recorded.StatementId,
            Version = 1,
            Sequence = sequences[i],
            Timestamp = statement.Timestamp,
            TenantId = DefaultTenant,
            EventTypeName = Events.EventMappingFor(typeof(StatementRecorded)).EventTypeName,
            DotNetTypeName = $"{typeof(StatementRecorded).FullName}, {typeof(StatementRecorded).Assembly.GetName().Name}",
        }).ToArray();
    }

    private async Task CopyStreamsAsync(NpgsqlConnection connection, IReadOnlyList<IEvent<StatementRecorded>> events, CancellationToken cancellation)
    {
        var streamType = Events.AggregateAliasFor(typeof(Statement));
        await using var copy = await connection.BeginBinaryImportAsync(
            $"copy {_schema}.mt_streams (id, type, version, timestamp, created, tenant_id) from stdin (format binary)", cancellation);
        foreach (var e in events)
        {
            await copy.StartRowAsync(cancellation);
            await copy.WriteAsync(e.StreamId, NpgsqlDbType.Uuid, cancellation);
            await copy.WriteAsync(streamType, NpgsqlDbType.Varchar, cancellation);
            await copy.WriteAsync(e.Version, NpgsqlDbType.Bigint, cancellation);
            await copy.WriteAsync(e.Timestamp, NpgsqlDbType.TimestampTz, cancellation);
            await copy.WriteAsync(e.Timestamp, NpgsqlDbType.TimestampTz, cancellation);
            await copy.WriteAsync(e.TenantId, NpgsqlDbType.Varchar, cancellation);
        }
        await copy.CompleteAsync(cancellation);
    }

    private async Task CopyEventsAsync(
        NpgsqlConnection connection, IReadOnlyList<IEvent<StatementRecorded>> events, IReadOnlyList<PreparedStatement> prepared, CancellationToken cancellation)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            $"copy {_schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived) from stdin (format binary)",
            cancellation);
        foreach (var (e, statement) in events.Zip(prepared))
        {
            await copy.StartRowAsync(cancellation);
            await copy.WriteAsync(e.Sequence, NpgsqlDbType.Bigint, cancellation);
            await copy.WriteAsync(e.Id, NpgsqlDbType.Uuid, cancellation);
            await copy.WriteAsync(e.StreamId, NpgsqlDbType.Uuid, cancellation);
            await copy.WriteAsync(e.Version, NpgsqlDbType.Bigint, cancellation);
            await copy.WriteAsync(statement.EventJson, NpgsqlDbType.Jsonb, cancellation);
            await copy.WriteAsync(e.EventTypeName, NpgsqlDbType.Varchar, cancellation);
            await copy.WriteAsync(e.Timestamp, NpgsqlDbType.TimestampTz, cancellation);
            await copy.WriteAsync(e.TenantId, NpgsqlDbType.Varchar, cancellation);
            await copy.WriteAsync(e.DotNetTypeName, NpgsqlDbType.Varchar, cancellation);
            await copy.WriteAsync(false, NpgsqlDbType.Boolean, cancellation);
        }
        await copy.CompleteAsync(cancellation);
    }

    /// <summary>The statement documents the inline snapshot would write, from the same pure <see cref="Statement.Create"/>.</summary>
    private async Task CopyDocumentsAsync(
        NpgsqlConnection connection, IReadOnlyList<IEvent<StatementRecorded>> events, IReadOnlyList<PreparedStatement> prepared, CancellationToken cancellation)
    {
        var table = store.Options.FindOrResolveDocumentType(typeof(Statement)).TableName.QualifiedName;
        await using var copy = await connection.BeginBinaryImportAsync(
            $"copy {table} (id, data, mt_last_modified, mt_dotnet_type, mt_version) from stdin (format binary)", cancellation);
        foreach (var (e, statement) in events.Zip(prepared))
        {
            await copy.StartRowAsync(cancellation);
            await copy.WriteAsync(e.StreamId, NpgsqlDbType.Uuid, cancellation);
            await copy.WriteAsync(statement.DocumentJson, NpgsqlDbType.Jsonb, cancellation);
            await copy.WriteAsync(e.Timestamp, NpgsqlDbType.TimestampTz, cancellation);
            await copy.WriteAsync(typeof(Statement).FullName!, NpgsqlDbType.Varchar, cancellation);
            await copy.WriteAsync(e.Version, NpgsqlDbType.Bigint, cancellation);
        }
        await copy.CompleteAsync(cancellation);
    }
}
