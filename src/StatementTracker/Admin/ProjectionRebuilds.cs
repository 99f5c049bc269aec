using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Wolverine;
using Wolverine.Runtime;
using Wolverine.Runtime.Agents;

namespace StatementTracker.Admin;

public sealed record RebuildRecord(string Name, string Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string? RequestedBy, string? Error);

/// <summary>
/// Rebuilds projections from the events in the background, one at a time per projection, and tells
/// readers when one is running. Marten's daemon does the replay; this keeps the record of it.
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

    private string Table => ProjectionRebuildsTable.QualifiedName(store.Options.DatabaseSchemaName);

    public IReadOnlyList<(string Name, ProjectionLifecycle Lifecycle)> Projections() =>
        store.Options.Events.Projections().Select(p => (p.Name, p.Lifecycle)).ToArray();

    /// <summary>Starts rebuilding <paramref name="name"/> unless a rebuild of it runs already.</summary>
    public async Task<bool> TryStartAsync(string name, string requestedBy, CancellationToken cancellation)
    {
        var lifecycle = Projections().Single(p => p.Name == name).Lifecycle;
        await using var connection = await OpenAsync(cancellation);
        await using var claim = new NpgsqlCommand(
            $"""
             insert into {Table} (name, status, started_at, heartbeat, requested_by)
             values ($1, '{Rebuilding}', now(), now(), $2)
             on conflict (name) do update
               set status = excluded.status, started_at = now(), heartbeat = now(), finished_at = null,
                   requested_by = excluded.requested_by, error = null
               where {Table}.status <> '{Rebuilding}' or {Table}.heartbeat < now() - $3::interval
             returning name
             """,
            connection);
        claim.Parameters.Add(new NpgsqlParameter { Value = name });
        claim.Parameters.Add(new NpgsqlParameter { Value = requestedBy });
        claim.Parameters.Add(new NpgsqlParameter { Value = StaleAfter });
        if (await claim.ExecuteScalarAsync(cancellation) is null) return false;

        _ = Task.Run(() => RunAsync(name, lifecycle, lifetime.ApplicationStopping), CancellationToken.None);
        return true;
    }

    /// <summary>The projections among <paramref name="names"/> being rebuilt right now.</summary>
    public async Task<bool> AnyRebuildingAsync(IQuerySession session, IReadOnlyList<string> names, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            $"select exists (select 1 from {Table} where name = any($1) and status = '{Rebuilding}' and heartbeat > now() - $2::interval)",
            session.Connection);
        command.Parameters.Add(new NpgsqlParameter { Value = names.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = StaleAfter });
        return (bool)(await command.ExecuteScalarAsync(cancellation))!;
    }

    public async Task<IReadOnlyList<RebuildRecord>> RecordsAsync(IQuerySession session, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            $"""
             select name, case when status = '{Rebuilding}' and heartbeat < now() - $1::interval then '{Failed}' else status end,
                    started_at, finished_at, requested_by,
                    case when status = '{Rebuilding}' and heartbeat < now() - $1::interval then 'abandoned: the process running it stopped' else error end
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
                reader.IsDBNull(5) ? null : reader.GetString(5)));
        }
        return records;
    }

    private async Task RunAsync(string name, ProjectionLifecycle lifecycle, CancellationToken stopping)
    {
        using var heartbeats = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var heartbeat = BeatAsync(name, heartbeats.Token);
        string status = Completed;
        string? error = null;
        try
        {
            logger.LogInformation("Rebuilding projection {Projection}", name);
            await RebuildAsync(name, lifecycle, stopping);
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

    /// <summary>
    /// In a cluster the projection's live agent may run on another node: pause it cluster-wide first, so
    /// only the rebuild writes, and release it afterwards so the cluster runs it again (on any node).
    /// A single node (solo) stops and resumes its own agent around the rebuild.
    /// </summary>
    private async Task RebuildAsync(string name, ProjectionLifecycle lifecycle, CancellationToken stopping)
    {
        var shard = $"{name}:All";
        var clusterAgent = lifecycle == ProjectionLifecycle.Async && runtime.Options.Durability.Mode == DurabilityMode.Balanced
            ? await agents.FindAgentUriAsync(shard, null, stopping)
            : null;

        if (clusterAgent is not null)
        {
            var pause = new AgentRestrictions();
            pause.PauseAgent(clusterAgent);
            await runtime.Agents.ApplyRestrictionsAsync(pause, stopping);
        }
        try
        {
            if (!await agents.TryRebuildRegisteredProjectionAsync(shard, null, stopping))
                throw new InvalidOperationException($"No registered projection {shard}.");
        }
        finally
        {
            if (clusterAgent is not null)
            {
                var release = new AgentRestrictions([new AgentRestriction(Guid.NewGuid(), clusterAgent, AgentRestrictionType.None, 0)]);
                await runtime.Agents.ApplyRestrictionsAsync(release, CancellationToken.None);
            }
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
