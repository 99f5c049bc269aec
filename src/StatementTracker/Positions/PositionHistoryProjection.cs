using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace StatementTracker.Positions;

/// <summary>
/// Projects statements into the position tables, run by the async daemon. Each batch of events becomes
/// one call of <see cref="PositionBatchSql"/>, applied in the daemon's transaction with its progress, so
/// no update is lost under concurrent writes and a rebuild replays exactly. It uses only the events and
/// their metadata: no clock, no lookups.
/// </summary>
public sealed class PositionHistoryProjection(string schema) : IProjection
{
    public const string ProjectionName = "PositionHistory";

    private readonly string _call = $"select {schema}.{PositionBatchSql.FunctionName}({string.Join(", ", Enumerable.Repeat("?", 24))})";

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var batch = PositionBatch.From(events);
        if (!batch.IsEmpty) operations.QueueSqlCommand(_call, batch.Arguments(raiseShifts: true));
        return Task.CompletedTask;
    }
}
