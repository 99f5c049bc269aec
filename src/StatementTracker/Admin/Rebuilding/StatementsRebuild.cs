using JasperFx.Events;
using Marten;
using Npgsql;
using NpgsqlTypes;
using StatementTracker.Infrastructure;
using StatementTracker.Statements;
using StatementTracker.Statements.Listing;

namespace StatementTracker.Admin.Rebuilding;

/// <summary>
/// Rebuilds the statement documents and the statement list without downtime, into shadow tables: the document of
/// each statement with several events folded from them by the same pure <see cref="Statement"/> Apply methods the
/// inline snapshot uses, and its list row by <see cref="StatementListProjection.Fold"/>, both copied in (each by
/// one COPY on a connection of its own while the next statements are read and folded); those of statements with
/// one event (nearly all) made by PostgreSQL (<see cref="SingleEventStatements"/>). Statements
/// changed meanwhile are folded again, and to finish, with the write gate closed (writers wait), the last
/// changes are folded in and the shadow tables replace the live ones in one transaction.
/// </summary>
public sealed class StatementsRebuild(IDocumentStore store) : IShadowRebuild
{
    private const int CopyBatch = 10_000;
    private const int ProgressEvery = 10_000;
    private const long FinishWithin = 5_000;

    private readonly string _schema = store.Options.DatabaseSchemaName;
    private readonly string _documents = store.Options.FindOrResolveDocumentType(typeof(Statement)).TableName.Name;

    public async Task RunAsync(Action<RebuildProgress> progress, CancellationToken cancellation)
    {
        var events = new StoredEvents(store);
        var shadow = new ShadowTables(_schema, [StatementListTable.TableName, _documents]);
        await using var connection = await store.OpenForBulkWorkAsync(cancellation);
        try
        {
            var built = await events.CommittedHeadAsync(connection, cancellation);
            await shadow.CreateAsync(connection, cancellation);
            var longer = $"{ShadowTables.Schema}.st_longer_streams";
            var single = new SingleEventStatements(
                $"{store.Options.Events.DatabaseSchemaName}.mt_events", longer, $"{ShadowTables.Schema}.st_inferred_stances");
            await using (var second = await store.OpenForBulkWorkAsync(cancellation))
            {
                // The statements of several events are folded here while PostgreSQL lists the positions to infer stances for.
                await Task.WhenAll(
                    FoldLongerStreamsAsync(connection, events, shadow, longer, built, progress, cancellation),
                    single.InferStancesAsync(second, await store.OpenForBulkWorkAsync(cancellation), built, cancellation));
                await single.InsertAsync([connection, second], SingleEventDocumentsSql(shadow, single), built, cancellation);
                await single.InsertAsync([connection, second], SingleEventListSql(shadow, single), built, cancellation);
                progress(new RebuildProgress("indexing", built, built));
                // Each table indexed on a connection of its own, side by side.
                await Task.WhenAll(
                    shadow.IndexAsync(connection, [_documents], cancellation),
                    shadow.IndexAsync(second, [StatementListTable.TableName], cancellation));
            }

            for (var head = await events.CommittedHeadAsync(connection, cancellation); head - built > FinishWithin;
                 head = await events.CommittedHeadAsync(connection, cancellation))
            {
                progress(new RebuildProgress("catching up", built, head));
                await RefoldAsync(connection, events, shadow, built, head, cancellation);
                built = head;
            }

            progress(new RebuildProgress("switching", built, built));
            var last = built;
            await shadow.SwapAsync(connection, async () =>
            {
                await ShadowTables.ExecuteAsync(connection, WriteGate.Close, cancellation);
                // Every write that passed the gate has committed, and no other can start: the last event is final.
                last = await events.LastSequenceAsync(connection, cancellation);
                await RefoldAsync(connection, events, shadow, built, last, cancellation);
            }, cancellation);
            progress(new RebuildProgress("completed", last, last));
        }
        finally
        {
            await shadow.DropAsync(connection, CancellationToken.None);
        }
    }

    private async Task FoldLongerStreamsAsync(
        NpgsqlConnection connection, StoredEvents events, ShadowTables shadow, string longer, long through, Action<RebuildProgress> progress,
        CancellationToken cancellation)
    {
        var serializer = store.Options.Serializer();
        await using var documents = new StreamingCopy<Statement>(
            await store.OpenForBulkWorkAsync(cancellation), DocumentsCopy(shadow), (copy, statement) => WriteDocument(copy, statement, serializer), cancellation);
        await using var list = new StreamingCopy<StatementListProjection.Row>(
            await store.OpenForBulkWorkAsync(cancellation), ListCopy(shadow), WriteListRow, cancellation);
        long processed = 0;
        await foreach (var stream in events.LongerStreamsAsync(connection, longer, through, cancellation))
        {
            await documents.AddAsync(Fold(stream), cancellation);
            foreach (var row in StatementListProjection.Fold(stream)) await list.AddAsync(row, cancellation);
            processed += stream.Count;
            if (processed % ProgressEvery < stream.Count) progress(new RebuildProgress("building", processed, through));
        }
        await documents.CompleteAsync(cancellation);
        await list.CompleteAsync(cancellation);
    }

    /// <summary>Folds again, whole, every statement with events in the range, replacing its shadow rows.</summary>
    private async Task RefoldAsync(NpgsqlConnection connection, StoredEvents events, ShadowTables shadow, long after, long through, CancellationToken cancellation)
    {
        var changed = await events.StreamsChangedAsync(connection, after, through, cancellation);
        foreach (var ids in changed.Chunk(CopyBatch))
        {
            await ShadowTables.ExecuteAsync(connection,
                $"delete from {shadow.Shadow(_documents)} where id = any('{{{string.Join(',', ids)}}}'::uuid[]);" +
                $"delete from {shadow.Shadow(StatementListTable.TableName)} where id = any('{{{string.Join(',', ids)}}}'::uuid[]);",
                cancellation);
            await CopyAsync(connection, shadow, await events.StreamsAsync(connection, ids, through, cancellation), cancellation);
        }
    }

    private async Task CopyAsync(NpgsqlConnection connection, ShadowTables shadow, IReadOnlyList<IReadOnlyList<IEvent>> streams, CancellationToken cancellation)
    {
        if (streams.Count == 0) return;
        var serializer = store.Options.Serializer();
        await using (var documents = await connection.BeginBinaryImportAsync(DocumentsCopy(shadow), cancellation))
        {
            foreach (var stream in streams)
            {
                await documents.StartRowAsync(cancellation);
                WriteDocument(documents, Fold(stream), serializer);
            }
            await documents.CompleteAsync(cancellation);
        }

        await using var list = await connection.BeginBinaryImportAsync(ListCopy(shadow), cancellation);
        foreach (var row in streams.SelectMany(StatementListProjection.Fold))
        {
            await list.StartRowAsync(cancellation);
            WriteListRow(list, row);
        }
        await list.CompleteAsync(cancellation);
    }

    private string DocumentsCopy(ShadowTables shadow) =>
        $"copy {shadow.Shadow(_documents)} (id, data, mt_last_modified, mt_dotnet_type, mt_version) from stdin (format binary)";

    private static string ListCopy(ShadowTables shadow) =>
        $"copy {shadow.Shadow(StatementListTable.TableName)} (id, country, topics, status, stated_from, recorded_seq, speaker_name, dataset) from stdin (format binary)";

    /// <summary>
    /// The document <see cref="Statement.Create"/> makes of a recording, as the store's serializer writes it
    /// (camel case; dates as "2024-07-04"; times in UTC with as many fractional digits as they need, as PostgreSQL
    /// writes them into JSON in UTC). Its lists and objects are the event's own.
    /// </summary>
    private string SingleEventDocumentsSql(ShadowTables shadow, SingleEventStatements single) =>
        $"""
         insert into {shadow.Shadow(_documents)} (id, data, mt_last_modified, mt_dotnet_type, mt_version)
         select e.stream_id, jsonb_build_object(
             'id', e.stream_id, 'speaker', c.speaker, 'country', c.country, 'topics', c.topics, 'position', c.position,
             'stance', s.stance, 'stanceInferred', c.stance is null, 'statedOn', c."statedOn",
             'statedWithin', jsonb_build_object('from', to_char(d.first_day, 'YYYY-MM-DD'), 'to', to_char(d.last_day, 'YYYY-MM-DD')),
             'quote', j.content->'quote', 'targets', c.targets, 'occasion', j.content->'occasion',
             'sources', e.data->'sources', 'origin', e.data->'origin', 'status', '{StatementStatus.Recorded}'::text, 'retraction', null::jsonb,
             'version', e.version, 'recordedAt', at.json, 'recordedBy', e.data->'recordedBy',
             'lastChangedAt', at.json, 'corrections', 0),
           e.timestamp, '{typeof(Statement).FullName}', e.version
         {single.Source("cross join lateral (select to_jsonb(e.timestamp) as json) at")}
         """;

    /// <summary>The list row <see cref="StatementListProjection.Fold"/> makes of a recording (a single topic without a sort per row).</summary>
    private static string SingleEventListSql(ShadowTables shadow, SingleEventStatements single) =>
        $"""
         insert into {shadow.Shadow(StatementListTable.TableName)} (id, country, topics, status, stated_from, recorded_seq, speaker_name, dataset)
         select e.stream_id, c.country,
           case jsonb_array_length(c.topics) when 1 then array[c.topics->>0]
             else array(select t from jsonb_array_elements_text(c.topics) with ordinality as t(t, n) order by n) end,
           '{StatementStatus.Recorded}', d.first_day, e.seq_id, c.speaker->>'name', e.data->'origin'->>'dataset'
         {single.Source()}
         """;

    private static void WriteDocument(NpgsqlBinaryImporter copy, Statement statement, ISerializer serializer)
    {
        copy.Write(statement.Id, NpgsqlDbType.Uuid);
        copy.Write(serializer.ToJson(statement), NpgsqlDbType.Jsonb);
        copy.Write(statement.LastChangedAt, NpgsqlDbType.TimestampTz);
        copy.Write(typeof(Statement).FullName!, NpgsqlDbType.Varchar);
        copy.Write(statement.Version, NpgsqlDbType.Bigint);
    }

    private static void WriteListRow(NpgsqlBinaryImporter copy, StatementListProjection.Row row)
    {
        copy.Write(row.Id, NpgsqlDbType.Uuid);
        copy.Write(row.Content!.Country, NpgsqlDbType.Text);
        copy.Write(row.Content.Topics.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
        copy.Write(row.Status ?? StatementStatus.Recorded, NpgsqlDbType.Text);
        copy.Write(row.Content.StatedOn.FirstDay, NpgsqlDbType.Date);
        copy.Write(row.RecordedSeq, NpgsqlDbType.Bigint);
        copy.Write(row.Content.Speaker.Name, NpgsqlDbType.Text);
        copy.Write(row.Dataset, NpgsqlDbType.Text);
    }

    /// <summary>A statement as its events leave it: the same Create and Apply the inline snapshot runs.</summary>
    public static Statement Fold(IReadOnlyList<IEvent> stream)
    {
        var statement = Statement.Create((IEvent<StatementRecorded>)stream[0]);
        foreach (var e in stream.Skip(1))
        {
            statement = e switch
            {
                IEvent<StatementCorrected> corrected => statement.Apply(corrected),
                IEvent<SourceAdded> added => statement.Apply(added),
                IEvent<StatementRetracted> retracted => statement.Apply(retracted),
                _ => statement,
            };
        }
        return statement;
    }
}
