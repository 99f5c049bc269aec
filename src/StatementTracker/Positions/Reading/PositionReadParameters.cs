using StatementTracker.Infrastructure;
using StatementTracker.Operations;

namespace StatementTracker.Positions.Reading;

/// <summary>The query parameters every position read takes: <c>asOf</c>, <c>knownAt</c>, <c>historyLimit</c>.</summary>
public static class PositionReadParameters
{
    public const int DefaultHistoryLimit = 1000;

    public static PositionView View(this QueryParameters query, string? asOf, string? knownAt) =>
        new(query.Date("asOf", asOf), query.Instant("knownAt", knownAt));

    public static int HistoryLimit(this QueryParameters query, string? historyLimit, LimitOptions limits) =>
        query.Int("historyLimit", historyLimit, Math.Min(DefaultHistoryLimit, limits.MaxHistoryLimit), 1, limits.MaxHistoryLimit);
}
