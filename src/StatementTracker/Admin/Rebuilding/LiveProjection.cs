using Marten;
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

    public async Task<Uri> PauseAsync(string projection, CancellationToken cancellation)
    {
        var agent = await agents.FindAgentUriAsync($"{projection}:All", null, cancellation)
                    ?? throw new InvalidOperationException($"No live agent for the projection {projection}.");
        if (Clustered)
        {
            var pause = new AgentRestrictions();
            pause.PauseAgent(agent);
            await runtime.Agents.ApplyRestrictionsAsync(pause, cancellation);
            await WaitUntilStoppedEverywhereAsync(agent, cancellation);
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
            await runtime.Agents.ApplyRestrictionsAsync(release, CancellationToken.None);
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

    /// <summary>Waits until no node of the cluster holds the agent (Wolverine's own assignment record).</summary>
    private async Task WaitUntilStoppedEverywhereAsync(Uri agent, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + StopTimeout;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellation);
        while (true)
        {
            await using var command = new NpgsqlCommand(
                $"select count(*) from {store.Options.DatabaseSchemaName}.wolverine_node_assignments where id = $1", connection)
            {
                Parameters = { new NpgsqlParameter { Value = agent.ToString() } },
            };
            if ((long)(await command.ExecuteScalarAsync(cancellation))! == 0 && !runtime.Agents.AllRunningAgentUris().Contains(agent)) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The live agent {agent} did not stop within {StopTimeout.TotalSeconds} s.");
            await Task.Delay(200, cancellation);
        }
    }
}
