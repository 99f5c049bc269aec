using Microsoft.AspNetCore.Mvc;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Npgsql;
using StatementTracker.Infrastructure;
using StatementTracker.Security;
using Wolverine.Http;
using Wolverine.Runtime;

namespace StatementTracker.Admin;

/// <param name="Node">The cluster node number of the node that answered.</param>
/// <param name="HighWaterMark">The sequence of the last event in the store.</param>
public sealed record ProjectionsOverview(int Node, long HighWaterMark, IReadOnlyList<ProjectionStatus> Projections);

/// <param name="State">running, rebuilding, paused, stopped, or inline (kept current in the writing transaction).</param>
/// <param name="Position">The last event sequence the projection has applied.</param>
/// <param name="Lag">How many events it is behind the store's high-water mark.</param>
/// <param name="RunningOnNode">The node the cluster assigned the projection to (null for inline projections).</param>
/// <param name="RunningHere">Whether the node that answered runs it right now.</param>
public sealed record ProjectionStatus(
    string Name, string Lifecycle, string State, long Position, long Lag, int? RunningOnNode, bool RunningHere, RebuildRecord? LastRebuild);

/// <summary>
/// <c>GET /admin/projections</c>: each projection's state, position and lag, which node runs it, and its
/// last rebuild. Every node answers for the whole cluster, from the database.
/// </summary>
public static class ListProjectionsEndpoint
{
    [Authorize(Policy = Policies.Admin)]
    [ProducesResponseType(typeof(ProjectionsOverview), 200)]
    [WolverineGet("/admin/projections")]
    public static async Task<IResult> Get(IDocumentStore store, ProjectionRebuilds rebuilds, IWolverineRuntime runtime, CancellationToken cancellation)
    {
        var progress = await store.Advanced.AllProjectionProgress(token: cancellation);
        await using var session = store.QuerySession();
        var records = (await rebuilds.RecordsAsync(session, cancellation)).ToDictionary(r => r.Name);
        var assignments = await AssignmentsAsync(session, cancellation);
        var runningHere = runtime.Agents.AllRunningAgentUris().Select(uri => uri.ToString()).ToArray();
        var thisNode = runtime.Options.Durability.AssignedNodeNumber;
        var highWaterMark = await EventStoreHead.LastSequenceAsync(session, cancellation);

        var projections = rebuilds.Projections().Select(projection =>
        {
            var shard = progress.FirstOrDefault(p => p.ShardName == $"{projection.Name}:All");
            var lastRebuild = records.GetValueOrDefault(projection.Name);
            var inline = projection.Lifecycle == ProjectionLifecycle.Inline;
            var agentSuffix = $"/{projection.Name.ToLowerInvariant()}/all";
            var here = runningHere.Any(uri => uri.EndsWith(agentSuffix, StringComparison.OrdinalIgnoreCase));
            int? node = inline ? null
                : assignments.FirstOrDefault(a => a.Agent.EndsWith(agentSuffix, StringComparison.OrdinalIgnoreCase)).Node is { } assigned and > 0 ? assigned
                : here ? thisNode : null;
            var position = inline && lastRebuild?.Status != ProjectionRebuilds.Rebuilding ? highWaterMark : shard?.Sequence ?? 0;
            var state = lastRebuild?.Status == ProjectionRebuilds.Rebuilding ? ProjectionRebuilds.Rebuilding
                : inline ? "inline"
                : node is null ? "stopped"
                : shard?.AgentStatus?.ToLowerInvariant() ?? "running";
            return new ProjectionStatus(
                projection.Name, projection.Lifecycle.ToString(), state, position, Math.Max(0, highWaterMark - position), node, here, lastRebuild);
        }).ToArray();

        return Results.Ok(new ProjectionsOverview(thisNode, highWaterMark, projections));
    }

    /// <summary>Which node the cluster assigned each agent to (Wolverine's own record; empty for a single node).</summary>
    private static async Task<IReadOnlyList<(string Agent, int Node)>> AssignmentsAsync(IQuerySession session, CancellationToken cancellation)
    {
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        await using var command = new NpgsqlCommand(
            $"""
             select a.id, n.node_number from {schema}.wolverine_node_assignments a
             join {schema}.wolverine_nodes n on n.id = a.node_id
             where a.id like 'event-subscriptions://%'
             """,
            session.Connection);
        var assignments = new List<(string, int)>();
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation)) assignments.Add((reader.GetString(0), reader.GetInt32(1)));
        return assignments;
    }
}
