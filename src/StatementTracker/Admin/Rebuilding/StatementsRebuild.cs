using JasperFx.Events;
using Marten;
using Npgsql;
using NpgsqlTypes;
using StatementTracker.Infrastructure;
using StatementTracker.Statements;
using StatementTracker.Statements.Listing;

namespace StatementTracker.Admin.Rebuilding;

/// <summary>
/// Rebuilds the statement documents and the statement list without downtime: each statement's document is
/// folded from its events by the same pure <see cref="Statement"/> Apply methods the inline snapshot uses, and
/// its list row by <see cref="StatementListProjection.Fold"/>; both are copied into shadow tables (each by one
/// COPY on a connection of its own while the next statements are read and folded), statements
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
            long processed = 0;
            var serializer = store.Options.Serializer();
            await using (var documents = new StreamingCopy<Statement>(
                             await store.OpenForBulkWorkAsync(cancellation), DocumentsCopy(shadow), (copy, statement) => WriteDocument(copy, statement, serializer), cancellation))
            await using (var list = new StreamingCopy<StatementListProjection.Row>(
                             await store.OpenForBulkWorkAsync(cancellation), ListCopy(shadow), WriteListRow, cancellation))
            {
                await foreach (var stream in events.AllStreamsAsync(connection, built, cancellation))
                {
                    await documents.AddAsync(Fold(stream), cancellation);
                    foreach (var row in StatementListProjection.Fold(stream)) await list.AddAsync(row, cancellation);
                    processed += stream.Count;
                    if (processed % ProgressEvery < stream.Count) progress(new RebuildProgress("building", processed, built));
                }
                await documents.CompleteAsync(cancellation);
                await list.CompleteAsync(cancellation);
            }
            progress(new RebuildProgress("indexing", processed, built));
            await shadow.IndexAsync(connection, cancellation);

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
