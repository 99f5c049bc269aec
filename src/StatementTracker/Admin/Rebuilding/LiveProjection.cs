using Marten;
using Microsoft.Extensions.Logging;
using Npgsql;
using Wolverine;
using Wolverine.Runtime;
using Wolverine.Runtime.Agents;

namespace StatementTracker.Admin.Rebuilding;

/// <summary>
/// Stops an async projection's live agent wherever it runs, and lets it run again: on a cluster by a
/// cluster-wide pause (the node running it stops it), on a single node by stopping it locally. While it is
/// stopped nothing else writes the projection's tables or its progress.
/// </summary>
public sealed class LiveProjection(IDocumentStore store, IWolverineRuntime runtime, IEventSubscriptionAgentFamily agents)
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    private bool Clustered => runtime.Options.Durability.Mode == DurabilityMode.Balanced;

    private ILogger Logger => runtime.LoggerFactory.CreateLogger<LiveProjection>();

    public async Task<Uri> PauseAsync(string projection, CancellationToken cancellation)
    {
        var agent = await agents.FindAgentUriAsync($"{projection}:All", null, cancellation)
                    ?? throw new InvalidOperationException($"No live agent for the projection {projection}.");
        if (Clustered)
        {
            var pause = new AgentRestrictions();
            pause.PauseAgent(agent);
            // The pause is persisted before the stop is sent. A node that died holding the agent, not yet known to be
            // gone, never acknowledges the stop (Wolverine waits a minute for it, then reports a failure): it loses the
            // agent when the cluster ejects it. So the acknowledgement is awaited unless the holder is gone.
            await using var connection = store.Storage.Database.CreateConnection();
            await connection.OpenAsync(cancellation);
            var holder = await HolderAsync(connection, agent, cancellation);
            var applying = runtime.Agents.ApplyRestrictionsAsync(pause, cancellation);
            _ = applying.ContinueWith(
                failed => Logger.LogWarning(failed.Exception, "Pausing {Agent} reported a failure", agent),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            try
            {
                await WaitUntilStoppedEverywhereAsync(connection, agent, holder, applying, cancellation);
            }
            catch
            {
                // Not stopped everywhere: the pause is lifted, so that a rebuild that never ran leaves no projection stopped.
                await ResumeAsync(agent);
                throw;
            }
        }
        else
        {
            await runtime.Agents.StopLocallyAsync(agent);
        }
        return agent;
    }

    /// <summary>
    /// Makes sure the agent is stopped now. A cluster-wide pause lasts until released; an agent stopped on this node
    /// alone may have been started again since (by the node starting up), so it is stopped again.
    /// </summary>
    public async Task<Uri> EnsurePausedAsync(string projection, Uri? paused, CancellationToken cancellation) =>
        paused is not null && Clustered ? paused : await PauseAsync(projection, cancellation);

    public async Task ResumeAsync(Uri agent)
    {
        if (Clustered)
        {
            var release = new AgentRestrictions([new AgentRestriction(Guid.NewGuid(), agent, AgentRestrictionType.None, 0)]);
            try
            {
                await runtime.Agents.ApplyRestrictionsAsync(release, CancellationToken.None);
            }
            catch (Exception notConfirmed) when (notConfirmed is AggregateException or AgentRestrictionsNotConfirmedException)
            {
                // The release is persisted: the leader assigns the agent again at its next evaluation of the cluster.
                Logger.LogWarning(notConfirmed, "Starting {Agent} again was not confirmed; the cluster's next assignment starts it", agent);
            }
        }
        else
        {
            await runtime.Agents.StartLocallyAsync(agent);
        }
    }

    /// <summary>The projection's progress: the sequence of the last event it applied.</summary>
    public async Task<long> ProgressAsync(NpgsqlConnection connection, string projection, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            $"select coalesce((select last_seq_id from {store.Options.Events.DatabaseSchemaName}.mt_event_progression where name = $1), 0)", connection)
        {
            Parameters = { new NpgsqlParameter { Value = $"{projection}:All" } },
        };
        return (long)(await command.ExecuteScalarAsync(cancellation))!;
    }

    /// <summary>Within the caller's transaction: the projection's progress set, for its agent to go on from.</summary>
    public async Task SetProgressAsync(NpgsqlConnection connection, string projection, long sequence, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            $"""
             insert into {store.Options.Events.DatabaseSchemaName}.mt_event_progression (name, last_seq_id, last_updated)
             values ($1, $2, transaction_timestamp())
             on conflict (name) do update set last_seq_id = excluded.last_seq_id, last_updated = excluded.last_updated
             """, connection)
        {
            Parameters = { new NpgsqlParameter { Value = $"{projection}:All" }, new NpgsqlParameter { Value = sequence } },
        };
        await command.ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>The node the cluster's record says runs the agent, if any.</summary>
    private async Task<Guid?> HolderAsync(NpgsqlConnection connection, Uri agent, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(
            $"select node_id from {store.Options.DatabaseSchemaName}.wolverine_node_assignments where id = $1", connection)
        {
            Parameters = { new NpgsqlParameter { Value = agent.ToString() } },
        };
        return await command.ExecuteScalarAsync(cancellation) as Guid?;
    }

    /// <summary>
    /// Waits until the agent's pause is on the cluster's record, no node holds the agent (Wolverine's own records), and
    /// either the stop was acknowledged (<paramref name="applying"/> ended) or <paramref name="holder"/>, the node that
    /// ran it, is gone from the cluster; or until <paramref name="applying"/> fails in a way that persisted nothing.
    /// </summary>
    private async Task WaitUntilStoppedEverywhereAsync(
        NpgsqlConnection connection, Uri agent, Guid? holder, Task applying, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + StopTimeout;
        var schema = store.Options.DatabaseSchemaName;
        while (true)
        {
            // Failed otherwise than by an unacknowledged command (which comes after the pause is persisted): nothing to wait for.
            if (applying is { IsFaulted: true, Exception.InnerException: { } failure and not AggregateException })
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            await using var command = new NpgsqlCommand(
                $"""
                 select exists (select 1 from {schema}.wolverine_agent_restrictions where uri = $1 and type = 'Paused')
                    and not exists (select 1 from {schema}.wolverine_node_assignments where id = $1)
                    and ($2 or ($3::uuid is not null and not exists (select 1 from {schema}.wolverine_nodes where id = $3::uuid)))
                 """, connection)
            {
                Parameters =
                {
                    new NpgsqlParameter { Value = agent.ToString() },
                    new NpgsqlParameter { Value = applying.IsCompleted },
                    new NpgsqlParameter { Value = holder is { } node ? node : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid },
                },
            };
            if ((bool)(await command.ExecuteScalarAsync(cancellation))! && !runtime.Agents.AllRunningAgentUris().Contains(agent)) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The live agent {agent} did not stop within {StopTimeout.TotalSeconds} s.");
            await Task.Delay(100, cancellation);
        }
    }
}
