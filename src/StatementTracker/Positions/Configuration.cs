using JasperFx.Events.Projections;
using Marten;

namespace StatementTracker.Positions;

/// <summary>The positions module's Marten registration: the async position history projection.</summary>
public static class Configuration
{
    public static void AddPositions(this StoreOptions options) =>
        options.Projections.Add(new PositionHistoryProjection(options.DatabaseSchemaName), ProjectionLifecycle.Async);
}
