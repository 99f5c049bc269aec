using System.Runtime.CompilerServices;
using JasperFx.Events;
using Marten;
using Npgsql;
using StatementTracker.Statements;

namespace StatementTracker.Admin.Rebuilding;

/// <summary>
/// Reads the statement events straight from the event store for a rebuild: whole streams in stream order
/// (for building read models from nothing) or a range of sequence numbers (for catching up), each event
/// with the metadata projections use (version, sequence, timestamp).
/// </summary>
public sealed class StoredEvents(IDocumentStore store)
{
    public const int PageSize = 20_000;

    private readonly string _events = $"{store.Options.Events.DatabaseSchemaName}.mt_events";
    private readonly string _streams = $"{store.Options.Events.DatabaseSchemaName}.mt_streams";

    /// <summary>
    /// The sequence up to which every event is committed and no other will come: the last event, read with the
    /// write gate closed for the moment (every writer that passed it has committed). Unlike the async daemon's
    /// recorded high-water mark, it is right from a node's start: a catch-up started over an imported store
    /// before the daemon had recorded one went through no event.
    /// </summary>
    public async Task<long> CommittedHeadAsync(NpgsqlConnection connection, CancellationToken cancellation)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        await ShadowTables.ExecuteAsync(connection, Infrastructure.WriteGate.Close, cancellation);
        var head = await LastSequenceAsync(connection, cancellation);
        await transaction.CommitAsync(cancellation);
        return head;
    }

    /// <summary>The sequence of the last event; final only while the write gate is closed.</summary>
    public async Task<long> LastSequenceAsync(NpgsqlConnection connection, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand($"select coalesce(max(seq_id), 0) from {_events}", connection);
        return (long)(await command.ExecuteScalarAsync(cancellation))!;
    }

    /// <summary>Every stream with its events up to <paramref name="throughSequence"/>, in stream id order (slower than <see cref="AllStreamsAsync"/>).</summary>
    public async IAsyncEnumerable<IReadOnlyList<IEvent>> StreamsAsync(
        NpgsqlConnection connection, long throughSequence, [EnumeratorCancellation] CancellationToken cancellation)
    {
        Guid? after = null;
        while (true)
        {
            // A page ends within a stream; that stream is read again whole with the next page.
            var page = await ReadAsync(connection,
                $"""
                 select stream_id, version, seq_id, timestamp, type, data from {_events}
                 where seq_id <= $1 and ($2::uuid is null or stream_id > $2) and type = any($3)
                 order by stream_id, version limit {PageSize}
                 """,
                [throughSequence, (object?)after ?? DBNull.Value, EventNames], cancellation);
            if (page.Count == 0) yield break;
            var complete = page.Count < PageSize ? page : page.TakeWhile(e => e.StreamId != page[^1].StreamId).ToList();
            if (complete.Count == 0) complete = page; // one stream longer than a page: the per-statement event cap keeps this from happening
            foreach (var stream in complete.GroupBy(e => e.StreamId)) yield return stream.ToArray();
            if (page.Count < PageSize) yield break;
            after = complete[^1].StreamId;
        }
    }

    /// <summary>
    /// Every stream with its events up to <paramref name="throughSequence"/>, in no set order, for building a read
    /// model from nothing. Streams of one event (most statements are never corrected) come from one query read
    /// as it streams, in the table's own order: no sort, no hops through an index, and each event can be used and
    /// gone before the next is read, so the garbage collector finds it dead young instead of copying a page of
    /// them to older generations. The streams of several events follow, whole.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<IEvent>> AllStreamsAsync(
        NpgsqlConnection connection, long throughSequence, [EnumeratorCancellation] CancellationToken cancellation)
    {
        // Read after the high-water mark was taken, so every stream's version counts its events up to it.
        var longer = await StreamsLongerThanOneEventAsync(connection, cancellation);
        await foreach (var e in EachAsync(connection,
                           $"select stream_id, version, seq_id, timestamp, type, data from {_events} where seq_id <= $1 and version = 1 and type = any($2)",
                           [throughSequence, EventNames], cancellation))
        {
            if (!longer.Contains(e.StreamId)) yield return [e];
        }
        foreach (var ids in longer.Chunk(PageSize / 4))
            foreach (var stream in await StreamsAsync(connection, ids, throughSequence, cancellation))
                yield return stream;
    }

    /// <summary>
    /// The streams of several events, kept in <paramref name="table"/> (an id column) so that SQL can leave them out
    /// of what it builds from single events, and each returned whole, up to <paramref name="throughSequence"/>,
    /// for the service to fold. Read after the head was taken, as <see cref="AllStreamsAsync"/> does.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<IEvent>> LongerStreamsAsync(
        NpgsqlConnection connection, string table, long throughSequence, [EnumeratorCancellation] CancellationToken cancellation)
    {
        await Rebuilding.ShadowTables.ExecuteAsync(connection, $"create table {table} as select id from {_streams} where version > 1", cancellation);
        var ids = new List<Guid>();
        await using (var command = new NpgsqlCommand($"select id from {table}", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellation))
        {
            while (await reader.ReadAsync(cancellation)) ids.Add(reader.GetGuid(0));
        }
        foreach (var chunk in ids.Chunk(PageSize / 4))
            foreach (var stream in await StreamsAsync(connection, chunk, throughSequence, cancellation))
                yield return stream;
    }

    private async Task<HashSet<Guid>> StreamsLongerThanOneEventAsync(NpgsqlConnection connection, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand($"select id from {_streams} where version > 1", connection);
        var ids = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) ids.Add(reader.GetGuid(0));
        return ids;
    }

    /// <summary>The statement events after <paramref name="afterSequence"/> up to <paramref name="throughSequence"/>, in order, a page at a time.</summary>
    public async IAsyncEnumerable<IReadOnlyList<IEvent>> RangeAsync(
        NpgsqlConnection connection, long afterSequence, long throughSequence, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var after = afterSequence;
        while (after < throughSequence)
        {
            var page = await ReadAsync(connection,
                $"select stream_id, version, seq_id, timestamp, type, data from {_events} where seq_id > $1 and seq_id <= $2 and type = any($3) order by seq_id limit {PageSize}",
                [after, throughSequence, EventNames], cancellation);
            if (page.Count == 0) yield break;
            yield return page;
            after = page[^1].Sequence;
        }
    }

    /// <summary>The ids of the statements with events in the range.</summary>
    public async Task<IReadOnlyList<Guid>> StreamsChangedAsync(NpgsqlConnection connection, long afterSequence, long throughSequence, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand($"select distinct stream_id from {_events} where seq_id > $1 and seq_id <= $2", connection)
        {
            Parameters = { new NpgsqlParameter { Value = afterSequence }, new NpgsqlParameter { Value = throughSequence } },
        };
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) ids.Add(reader.GetGuid(0));
        return ids;
    }

    /// <summary>The given streams whole, up to <paramref name="throughSequence"/>.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<IEvent>>> StreamsAsync(
        NpgsqlConnection connection, IReadOnlyList<Guid> ids, long throughSequence, CancellationToken cancellation)
    {
        var events = await ReadAsync(connection,
            $"select stream_id, version, seq_id, timestamp, type, data from {_events} where stream_id = any($1) and seq_id <= $2 and type = any($3) order by stream_id, version",
            [ids.ToArray(), throughSequence, EventNames], cancellation);
        return events.GroupBy(e => e.StreamId).Select(g => (IReadOnlyList<IEvent>)g.ToArray()).ToArray();
    }

    private static readonly string[] EventNames = Statements.Configuration.EventNames.Keys.ToArray();

    private async Task<List<IEvent>> ReadAsync(NpgsqlConnection connection, string sql, object[] parameters, CancellationToken cancellation)
    {
        var events = new List<IEvent>();
        await foreach (var e in EachAsync(connection, sql, parameters, cancellation)) events.Add(e);
        return events;
    }

    private async IAsyncEnumerable<IEvent> EachAsync(
        NpgsqlConnection connection, string sql, object[] parameters, [EnumeratorCancellation] CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters) command.Parameters.Add(new NpgsqlParameter { Value = value });
        var serializer = store.Options.Serializer();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            var type = Statements.Configuration.EventNames[reader.GetString(4)];
            var data = serializer.FromJson(type, reader, 5);
            var e = Statements.Configuration.Wrap(data);
            e.StreamId = reader.GetGuid(0);
            e.Version = reader.GetInt64(1);
            e.Sequence = reader.GetInt64(2);
            e.Timestamp = reader.GetFieldValue<DateTimeOffset>(3);
            yield return e;
        }
    }
}
