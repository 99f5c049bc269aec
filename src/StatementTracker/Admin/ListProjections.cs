using Microsoft.AspNetCore.Authorization;
using StatementTracker.Security;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.AspNetCore.Http;
using Wolverine.Http;

namespace StatementTracker.Admin;

public sealed record ProjectionsOverview(long HighWaterMark, IReadOnlyList<ProjectionStatus> Projections);

/// <param name="State">running, rebuilding, paused, stopped, or inline (kept current in the writing transaction).</param>
/// <param name="Position">The last event sequence the projection has applied.</param>
/// <param name="Lag">How many events it is behind the store's high-water mark.</param>
public sealed record ProjectionStatus(
    string Name, string Lifecycle, string State, long Position, long Lag, string? RunningOnNode, RebuildRecord? LastRebuild);

/// <summary><c>GET /admin/projections</c>: each projection's state, position and lag, and its last rebuild.</summary>
public static class ListProjectionsEndpoint
{
    [Authorize(Policy = Policies.Admin)]
    [WolverineGet("/admin/projections")]
    public static async Task<IResult> Get(IDocumentStore store, ProjectionRebuilds rebuilds, CancellationToken cancellation)
    {
        var progress = await store.Advanced.AllProjectionProgress(token: cancellation);
        await using var session = store.QuerySession();
        var records = (await rebuilds.RecordsAsync(session, cancellation)).ToDictionary(r => r.Name);
        var highWaterMark = progress.FirstOrDefault(p => p.ShardName == ShardState.HighWaterMark)?.Sequence ?? 0;

        var projections = rebuilds.Projections().Select(projection =>
        {
            var shard = progress.FirstOrDefault(p => p.ShardName == $"{projection.Name}:All");
            var lastRebuild = records.GetValueOrDefault(projection.Name);
            var inline = projection.Lifecycle == ProjectionLifecycle.Inline;
            var position = inline && lastRebuild?.Status != ProjectionRebuilds.Rebuilding ? highWaterMark : shard?.Sequence ?? 0;
            var state = lastRebuild?.Status == ProjectionRebuilds.Rebuilding ? ProjectionRebuilds.Rebuilding
                : inline ? "inline"
                : shard?.AgentStatus?.ToLowerInvariant() ?? "stopped";
            return new ProjectionStatus(
                projection.Name, projection.Lifecycle.ToString(), state, position, Math.Max(0, highWaterMark - position),
                shard?.RunningOnNode?.ToString(), lastRebuild);
        }).ToArray();

        return Results.Ok(new ProjectionsOverview(highWaterMark, projections));
    }
}
