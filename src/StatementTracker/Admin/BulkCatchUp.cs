using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StatementTracker.Infrastructure;
using Wolverine;
using Wolverine.Runtime;
using Wolverine.Runtime.Agents;

namespace StatementTracker.Admin;

/// <summary>
/// Catches an async projection up by rebuilding it when it is far behind, as after a large import or when it
/// starts from nothing. A rebuild reads, folds and copies in bulk (on 1,000,000 events about ten times the
/// daemon's rate, which applies each batch of events with SQL before reading the next), so once the backlog is at
/// least as large as what the projection has applied, rebuilding all of it takes less time than applying the
/// backlog. Reads answer from the projection's tables as they are until the rebuilt ones replace them, exactly as
/// they would while it caught up. Never while someone subscribes to alerts: the daemon raises the shifts it
/// applies for them, which a rebuild does not.
/// </summary>
public sealed class BulkCatchUp(
    IDocumentStore store, ProjectionRebuilds rebuilds, IOptions<BulkCatchUpOptions> options, IHostApplicationLifetime lifetime,
    IWolverineRuntime runtime, IEventSubscriptionAgentFamily agents, ILogger<BulkCatchUp> logger) : BackgroundService
{
    public const string RequestedBy = "bulk catch-up";

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        if (options.Value.BulkCatchUpAfter <= 0) return;
        var interval = TimeSpan.FromSeconds(options.Value.CheckSeconds);
        // Not before the host has started: Wolverine makes its tables and registers the node while it starts, and a
        // catch-up that looked for the projection's agent before then failed (and was held back for 10 minutes).
        try { await StartedAsync(stopping); }
        catch (OperationCanceledException) { return; }
        // A node alone (solo) starts its agents once started, and an agent stopped here before that would run again
        // beside the rebuild: it looks once they run (at most one interval later). In a cluster the pause is the
        // cluster's, kept until released, and holds for agents not yet assigned: it looks at once.
        try
        {
            if (runtime.Options.Durability.Mode != DurabilityMode.Balanced) await AgentsRunningAsync(interval, stopping);
        }
        catch (OperationCanceledException) { return; }
        var wait = TimeSpan.Zero;
        while (!stopping.IsCancellationRequested)
        {
            try { await Task.Delay(wait, stopping); }
            catch (OperationCanceledException) { return; }
            wait = interval;
            try
            {
                await CheckAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not see how far behind the projections are");
            }
        }
    }

    private async Task StartedAsync(CancellationToken stopping)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stopping.Register(() => started.TrySetCanceled(stopping)))
            await started.Task;
    }

    /// <summary>Waits until this node runs the agent of every async projection, or <paramref name="atMost"/> has passed.</summary>
    private async Task AgentsRunningAsync(TimeSpan atMost, CancellationToken stopping)
    {
        var deadline = DateTime.UtcNow + atMost;
        var expected = new List<Uri>();
        foreach (var projection in rebuilds.Projections().Where(p => p.Lifecycle == ProjectionLifecycle.Async))
            if (await agents.FindAgentUriAsync($"{projection.Name}:All", null, stopping) is { } agent) expected.Add(agent);
        while (DateTime.UtcNow < deadline && !expected.All(runtime.Agents.AllRunningAgentUris().Contains))
            await Task.Delay(50, stopping);
    }

    /// <summary>Starts a bulk catch-up of each async projection that is far enough behind, unless one runs already.</summary>
    public async Task CheckAsync(CancellationToken cancellation)
    {
        var asynchronous = rebuilds.Projections().Where(p => p.Lifecycle == ProjectionLifecycle.Async).Select(p => p.Name).ToArray();
        if (asynchronous.Length == 0) return;
        var progress = await store.Advanced.AllProjectionProgress(token: cancellation);
        await using var session = store.QuerySession();
        var head = await EventStoreHead.LastSequenceAsync(session, cancellation);
        foreach (var name in asynchronous)
        {
            var applied = progress.FirstOrDefault(p => p.ShardName == $"{name}:All")?.Sequence ?? 0;
            if (!WorthRebuilding(applied, head, options.Value.BulkCatchUpAfter)) continue;
            if (await Alerts.AlertSubscription.AnyAsync(session, cancellation)) return;
            if ((await rebuilds.RecordsAsync(session, cancellation)).FirstOrDefault(r => r.Name == name) is { } last && FailedLately(last, DateTimeOffset.UtcNow))
                continue;
            if (await rebuilds.TryStartAsync(name, RequestedBy, cancellation, pauseLiveFirst: true))
                logger.LogInformation("Catching {Projection} up by a rebuild: {Behind} events behind, {Applied} applied", name, head - applied, applied);
        }
    }

    /// <summary>A rebuild goes through every event, catch-up through the backlog only but about ten times slower: a margin is kept.</summary>
    public static bool WorthRebuilding(long applied, long head, long threshold) =>
        threshold > 0 && head - applied >= threshold && head - applied >= applied;

    /// <summary>How long after a failed bulk catch-up the daemon is left to catch up alone before another is tried.</summary>
    public static readonly TimeSpan AfterAFailure = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A bulk catch-up that failed is not tried again at once: the projection's agent runs meanwhile, where a
    /// rebuild failing again and again would keep it paused.
    /// </summary>
    public static bool FailedLately(RebuildRecord last, DateTimeOffset now) =>
        last.RequestedBy == RequestedBy && last.Status == ProjectionRebuilds.Failed && now - (last.FinishedAt ?? last.StartedAt) < AfterAFailure;
}
