using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StatementTracker.Infrastructure;

namespace StatementTracker.Operations;

/// <summary>Samples the store's high-water mark and each async projection's position every few seconds, for the lag gauges.</summary>
public sealed class ProjectionSampler(IDocumentStore store, ILogger<ProjectionSampler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var progress = await store.Advanced.AllProjectionProgress(token: stopping);
                await using var session = store.QuerySession();
                var head = await EventStoreHead.LastSequenceAsync(session, stopping);
                var positions = store.Options.Events.Projections()
                    .Where(p => p.Lifecycle == ProjectionLifecycle.Async)
                    .ToDictionary(p => p.Name, p => progress.FirstOrDefault(s => s.ShardName == $"{p.Name}:All")?.Sequence ?? 0);
                Telemetry.LastProjectionSample = new ProjectionSample(head, positions);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogDebug(ex, "Could not sample the projections' positions");
            }
            try { await Task.Delay(Interval, stopping); }
            catch (OperationCanceledException) { return; }
        }
    }
}
