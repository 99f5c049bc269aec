using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Wolverine;
using Wolverine.Runtime;
using StatementTracker.Admin.Rebuilding;
using Wolverine.Runtime.Agents;

namespace StatementTracker.Admin;

/// <param name="Phase">Where a running rebuild is: building, indexing, catching up, switching.</param>
/// <param name="Processed">The events it has gone through.</param>
/// <param name="Total">The events it must go through (the store's high-water mark when it started or last looked).</param>
public sealed record RebuildRecord(
    string Name, string Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string? RequestedBy, string? Error,
    string? Phase, long Processed, long Total);

/// <summary>
/// Rebuilds projections from the events in the background, one at a time per projection, beside the live
/// read models, which keep answering until the rebuilt ones replace them (see <see cref="IShadowRebuild"/>).
/// Keeps the record of each rebuild: its state, its progress, how it ended.
/// </summary>
public sealed class ProjectionRebuilds(
    IDocumentStore store, IWolverineRuntime runtime, IEventSubscriptionAgentFamily agents,
    IHostApplicationLifetime lifetime, ILogger<ProjectionRebuilds> logger)
{
    public const string Rebuilding = "rebuilding";
    public const string Completed = "completed";
    public const string Failed = "failed";

    /// <summary>A rebuild whose heartbeat is older than this is taken to have died with its process.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    /// <summary>Only one rebuild at a time builds in the shadow schema: one in this process, and one in the cluster (<see cref="ShadowSchemaLock"/>).</summary>
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>
    /// The session-level advisory lock a rebuild holds while it builds in the shadow schema, so that nodes rebuilding
    /// different projections take turns instead of dropping each other's half-built tables. Its keys: our namespace
    /// ("STMT", as the write gate's) and 1.
    /// </summary>
    private const string ShadowSchemaLock = "1398033748, 1";

    private static readonly TimeSpan LockPoll = TimeSpan.FromMilliseconds(250);

    private string Table => ProjectionRebuildsTable.QualifiedName(store.Options.DatabaseSchemaName);

    public IReadOnlyList<(string Name, ProjectionLifecycle Lifecycle)> Projections() =>
        store.Options.Events.Projections().Select(p => (p.Name, p.Lifecycle)).ToArray();

    /// <summary>Starts rebuilding <paramref name="name"/> unless a rebuild of it runs already.</summary>
    /// <param name="pauseLiveFirst">
    /// Whether the live agent stops for the whole rebuild, not only to switch: for a projection far behind, whose
    /// agent would spend the rebuild's time on work the rebuild replaces.
    /// </param>
    public async Task<bool> TryStartAsync(string name, string requestedBy, CancellationToken cancellation, bool pauseLiveFirst = false)
    {
        await using var connection = await OpenAsync(cancellation);
        await using var claim = new NpgsqlCommand(
            $"""
             insert into {Table} (name, status, started_at, heartbeat, requested_by, phase, processed, total)
             values ($1, '{Rebuilding}', now(), now(), $2, 'waiting', 0, 0)
             on conflict (name) do update
               set status = excluded.status, started_at = now(), heartbeat = now(), finished_at = null,
                   requested_by = excluded.requested_by, error = null, phase = excluded.phase, processed = 0, total = 0
               where {Table}.status <> '{Rebuilding}' or {Table}.heartbeat < now() - $3::interval
             returning name
             """,
            connection);
        claim.Parameters.Add(new NpgsqlParameter { Value = name });
        claim.Parameters.Add(new NpgsqlParameter { Value = requestedBy });
        claim.Parameters.Add(new NpgsqlParameter { Value = StaleAfter });
        if (await claim.ExecuteScalarAsync(cancellation) is null) return false;

        _ = Task.Run(() => RunAsync(name, pauseLiveFirst, lifetime.ApplicationStopping), CancellationToken.None);
        return true;
    }

    public async Task<IReadOnlyList<RebuildRecord>> RecordsAsync(IQuerySession session, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            $"""
             select name, case when status = '{Rebuilding}' and heartbeat < now() - $1::interval then '{Failed}' else status end,
                    started_at, finished_at, requested_by,
                    case when status = '{Rebuilding}' and heartbeat < now() - $1::interval then 'abandoned: the process running it stopped' else error end,
                    phase, processed, total
             from {Table} order by name
             """,
            session.Connection);
        command.Parameters.Add(new NpgsqlParameter { Value = StaleAfter });
        var records = new List<RebuildRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            records.Add(new RebuildRecord(
                reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetInt64(7),
                reader.GetInt64(8)));
        }
        return records;
    }

    private async Task RunAsync(string name, bool pauseLiveFirst, CancellationToken stopping)
    {
        using var heartbeats = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var heartbeat = BeatAsync(name, heartbeats.Token);
        string status = Completed;
        string? error = null;
        try
        {
            logger.LogInformation("Rebuilding projection {Projection}", name);
            await RebuildAsync(name, pauseLiveFirst, stopping);
            logger.LogInformation("Rebuilt projection {Projection}", name);
        }
        catch (Exception ex)
        {
            status = Failed;
            error = stopping.IsCancellationRequested ? "interrupted: the service stopped" : ex.GetType().Name;
            logger.LogError(ex, "Rebuilding projection {Projection} failed", name);
        }
        finally
        {
            await heartbeats.CancelAsync();
            await heartbeat;
            await FinishAsync(name, status, error);
        }
    }

    /// <summary>The rebuild of a projection's read models: the statement documents and the list are rebuilt together.</summary>
    private IShadowRebuild RebuildOf(string name, bool pauseLiveFirst) => name == Positions.PositionHistoryProjection.ProjectionName
        ? new PositionsRebuild(store, new LiveProjection(store, runtime, agents), pauseLiveFirst)
        : new StatementsRebuild(store);

    private async Task RebuildAsync(string name, bool pauseLiveFirst, CancellationToken stopping)
    {
        await OneAtATime.WaitAsync(stopping);
        try
        {
            await using var schemaLock = await OpenAsync(stopping);
            await TakeShadowSchemaAsync(schemaLock, stopping);
            try
            {
                await RunReportingProgressAsync(name, pauseLiveFirst, stopping);
            }
            finally
            {
                await ReleaseShadowSchemaAsync(schemaLock);
            }
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    private async Task RunReportingProgressAsync(string name, bool pauseLiveFirst, CancellationToken stopping)
    {
        var lastReported = DateTime.MinValue;
        var (phase, clock) = ("", System.Diagnostics.Stopwatch.StartNew());
        await RebuildOf(name, pauseLiveFirst).RunAsync(progress =>
        {
            if (progress.Phase != phase)
            {
                logger.LogInformation("Rebuilding {Projection}: {Phase} at {Seconds:F1} s, {Processed} of {Total} events",
                    name, progress.Phase, clock.Elapsed.TotalSeconds, progress.Processed, progress.Total);
                phase = progress.Phase;
            }
            // Progress is recorded at most once a second; the end always.
            if (DateTime.UtcNow - lastReported < TimeSpan.FromSeconds(1) && progress.Phase != "completed") return;
            lastReported = DateTime.UtcNow;
            _ = RecordProgressAsync(name, progress);
        }, stopping);
    }

    /// <summary>
    /// Waits until no other node's rebuild builds in the shadow schema, polling (a wait of its own may outlast the
    /// service's statement time limit, and ends with the service). The lock goes with <paramref name="connection"/>.
    /// </summary>
    private static async Task TakeShadowSchemaAsync(NpgsqlConnection connection, CancellationToken stopping)
    {
        await using var take = new NpgsqlCommand($"select pg_try_advisory_lock({ShadowSchemaLock})", connection);
        while (!(bool)(await take.ExecuteScalarAsync(stopping))!) await Task.Delay(LockPoll, stopping);
    }

    /// <summary>
    /// Released at once, not left to the pool, which resets a connection only when it is next used. A connection
    /// that broke meanwhile took the lock with its session.
    /// </summary>
    private async Task ReleaseShadowSchemaAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var release = new NpgsqlCommand($"select pg_advisory_unlock({ShadowSchemaLock})", connection);
            await release.ExecuteScalarAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            logger.LogWarning(ex, "Could not release the shadow schema's lock; it goes with the connection");
        }
    }

    private async Task RecordProgressAsync(string name, RebuildProgress progress)
    {
        try
        {
            await ExecuteAsync($"update {Table} set phase = $2, processed = $3, total = $4 where name = $1 and status = '{Rebuilding}'",
                CancellationToken.None, name, progress.Phase, progress.Processed, progress.Total);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not record the progress of rebuilding {Projection}", name);
        }
    }

    private async Task BeatAsync(string name, CancellationToken cancellation)
    {
        try
        {
            while (true)
            {
                await Task.Delay(HeartbeatInterval, cancellation);
                await ExecuteAsync($"update {Table} set heartbeat = now() where name = $1 and status = '{Rebuilding}'", CancellationToken.None, name);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not record the rebuild heartbeat of {Projection}", name);
        }
    }

    private async Task FinishAsync(string name, string status, string? error)
    {
        try
        {
            await ExecuteAsync($"update {Table} set status = $2, finished_at = now(), error = $3 where name = $1", CancellationToken.None,
                name, status, (object?)error ?? DBNull.Value);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not record the end of rebuilding {Projection}", name);
        }
    }

    /// <summary>A connection of its own: query sessions read in read-only transactions.</summary>
    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellation)
    {
        var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellation);
        return connection;
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellation, params object[] parameters)
    {
        await using var connection = await OpenAsync(cancellation);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters)
            command.Parameters.Add(value is DBNull ? new NpgsqlParameter { Value = value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } : new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync(cancellation);
    }
}
