using System.Security.Cryptography;
using System.Threading.Channels;
using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using StatementTracker.Infrastructure;

namespace StatementTracker.Statements.Recording;

public enum RecordingOutcome { Recorded, AlreadyRecorded, Conflict }

public sealed record RecordingResult(RecordingOutcome Kind, long Version);

/// <summary>
/// What happened to a group of statements recorded together (one POST, or one batch): all recorded (or
/// found already recorded), or none, because some ids were already taken by other content.
/// </summary>
/// <param name="Results">Per statement, in the group's order; empty when <paramref name="Conflicts"/> is not.</param>
/// <param name="Conflicts">The positions in the group whose id exists with other content.</param>
public sealed record GroupOutcome(IReadOnlyList<RecordingResult> Results, IReadOnlyList<int> Conflicts)
{
    public bool IsConflict => Conflicts.Count > 0;
}

/// <summary>The <c>Writes</c> configuration section: how statements are committed together.</summary>
public sealed class WriteOptions
{
    public const string Section = "Writes";

    /// <summary>The most statements one transaction commits; concurrent requests share it.</summary>
    public int MaxStatementsPerCommit { get; set; } = 1000;

    /// <summary>How many transactions may be committing at once.</summary>
    public int Writers { get; set; } = 2;

    /// <summary>How long a write waits for another writer of the same statement id before it fails.</summary>
    public int LockTimeoutSeconds { get; set; } = 10;
}

/// <summary>
/// Records new statements with group commit: concurrent requests queue here, and each writer takes all that
/// are waiting (up to <see cref="WriteOptions.MaxStatementsPerCommit"/>) into one transaction, one round trip
/// for the checks and one flush. Every caller is answered only after its commit, so nothing acknowledged is
/// lost. Recording is idempotent: a statement id seen before with the same content is answered as already
/// recorded, with other content as a conflict, and neither reaches the event table, so no failed write
/// leaves a filler event or a sequence gap behind.
/// </summary>
public sealed class StatementWriter(IDocumentStore store, IOptions<WriteOptions> options, ILogger<StatementWriter> logger) : BackgroundService
{
    /// <summary>The advisory lock namespace of statement ids (the two-key form: apart from Wolverine's single-key locks).</summary>
    public const int LockNamespace = 0x53544d54; // "STMT"

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(20_000)
    {
        SingleReader = false,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private sealed record Pending(IReadOnlyList<StatementRecorded> Group, TaskCompletionSource<GroupOutcome> Done);

    /// <summary>Queues a group for the next commit and answers once it is committed (or refused).</summary>
    public async Task<GroupOutcome> RecordAsync(IReadOnlyList<StatementRecorded> group, CancellationToken cancellation)
    {
        var pending = new Pending(group, new TaskCompletionSource<GroupOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, cancellation);
        // The commit goes ahead even if this caller stops waiting: recording is idempotent.
        return await pending.Done.Task.WaitAsync(cancellation);
    }

    protected override Task ExecuteAsync(CancellationToken stopping) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.Writers)).Select(_ => WriteLoopAsync(stopping)));

    private async Task WriteLoopAsync(CancellationToken stopping)
    {
        var reader = _queue.Reader;
        var max = Math.Max(1, options.Value.MaxStatementsPerCommit);
        try
        {
            while (await reader.WaitToReadAsync(stopping))
            {
                var batch = new List<Pending>();
                var statements = 0;
                while (statements < max && reader.TryPeek(out var next) && (batch.Count == 0 || statements + next.Group.Count <= max) && reader.TryRead(out next))
                {
                    batch.Add(next);
                    statements += next.Group.Count;
                }
                if (batch.Count == 0) continue;
                try
                {
                    var outcomes = await CommitAsync(store, batch.Select(p => p.Group).ToArray(), options.Value.LockTimeoutSeconds, CancellationToken.None);
                    for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(outcomes[i]);
                }
                catch (Exception ex)
                {
                    logger.LogWarning(ex, "A commit of {Statements} statements failed; its {Requests} requests answer with the error", statements, batch.Count);
                    foreach (var pending in batch) pending.Done.TrySetException(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Commits the groups in one transaction: takes each statement id's lock (so another node's write of
    /// the same id waits and then sees this one), compares with what is stored and with earlier groups,
    /// starts the streams of what is new, and commits. A group with a conflicting id is left out whole.
    /// </summary>
    public static async Task<IReadOnlyList<GroupOutcome>> CommitAsync(
        IDocumentStore store, IReadOnlyList<IReadOnlyList<StatementRecorded>> groups, int lockTimeoutSeconds, CancellationToken cancellation)
    {
        await using var session = store.LightweightSession();
        await session.BeginTransactionAsync(cancellation);
        var ids = groups.SelectMany(g => g).Select(s => s.StatementId).Distinct().ToArray();
        var stored = await LockAndReadAsync(session, ids, lockTimeoutSeconds, cancellation);

        var accepted = new Dictionary<Guid, StatementRecorded>();
        var outcomes = new List<GroupOutcome>();
        foreach (var group in groups)
        {
            var inGroup = new Dictionary<Guid, StatementRecorded>();
            var results = new List<RecordingResult>();
            var conflicts = new List<int>();
            foreach (var (statement, index) in group.Select((s, i) => (s, i)))
            {
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
                session.Events.StartStream<Statement>(id, statement);
            }
            outcomes.Add(new GroupOutcome(results, []));
        }

        await session.SaveChangesAsync(cancellation);
        return outcomes;
    }

    /// <summary>Same content and sources; who posted it does not make it a different statement.</summary>
    public static bool SameStatement(StatementRecorded a, StatementRecorded b) =>
        a.StatementId == b.StatementId && a.Content.SameAs(b.Content) && a.Sources.SequenceEqual(b.Sources);

    /// <summary>
    /// One round trip: the ids' locks (in key order, so writers never deadlock; released at commit) and the
    /// first event and version of each id already stored.
    /// </summary>
    private static async Task<Dictionary<Guid, (StatementRecorded Recorded, long Version)>> LockAndReadAsync(
        IDocumentSession session, Guid[] ids, int lockTimeoutSeconds, CancellationToken cancellation)
    {
        var events = session.DocumentStore.Options.Events.DatabaseSchemaName;
        await using var batch = new NpgsqlBatch(session.Connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"set local lock_timeout = '{lockTimeoutSeconds}s'"),
                new NpgsqlBatchCommand(WriteGate.Pass),
                new NpgsqlBatchCommand($"select count(pg_advisory_xact_lock({LockNamespace}, key)) from unnest($1) as key")
                {
                    Parameters = { new NpgsqlParameter { Value = ids.Select(LockKey).Distinct().Order().ToArray() } },
                },
                // A statement of its own, so that it sees what a writer we waited for committed.
                new NpgsqlBatchCommand(
                    $"""
                     select s.id, s.version, e.data from {events}.mt_streams s
                     join {events}.mt_events e on e.stream_id = s.id and e.version = 1
                     where s.id = any($1)
                     """)
                {
                    Parameters = { new NpgsqlParameter { Value = ids } },
                },
            },
        };
        var serializer = session.DocumentStore.Options.Serializer();
        var stored = new Dictionary<Guid, (StatementRecorded, long)>();
        // Past the gate's row and the locks' count (set has no result to skip).
        await using var reader = await batch.ExecuteReaderAsync(cancellation);
        await reader.NextResultAsync(cancellation);
        await reader.NextResultAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
            stored[reader.GetGuid(0)] = (serializer.FromJson<StatementRecorded>(reader, 2), reader.GetInt64(1));
        return stored;
    }

    /// <summary>The id's lock key within <see cref="LockNamespace"/>; ids that share one merely take turns.</summary>
    public static int LockKey(Guid id) => BitConverter.ToInt32(MD5.HashData(id.ToByteArray()), 0);
}
