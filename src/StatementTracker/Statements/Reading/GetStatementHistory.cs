using Microsoft.AspNetCore.Mvc;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using StatementTracker.Infrastructure;
using StatementTracker.Operations;
using StatementTracker.Operations.Http;
using StatementTracker.Statements.Correcting;
using Wolverine.Http;

namespace StatementTracker.Statements.Reading;

/// <summary>One page of a statement's events; <c>NextAfter</c>, when set, is the <c>after</c> of the next page.</summary>
public sealed record StatementHistory(Guid Id, IReadOnlyList<HistoryEvent> Events, long? NextAfter);

/// <summary>One event of a statement's stream, as the audit trail shows it: <c>actor</c> is the stable identity, <c>actorName</c> the display name.</summary>
public sealed record HistoryEvent(
    string Type,
    long Version,
    DateTimeOffset Timestamp,
    string Actor,
    string? ActorName,
    string? Reason,
    IReadOnlyList<FieldChange>? Changes,
    object Data);

/// <summary>
/// <c>GET /statements/{id}/history</c>: the statement's events in order, who did what, when and why, a page at a
/// time: <c>?limit=</c> (100, at most <see cref="LimitOptions.MaxHistoryLimit"/>) events after version <c>?after=</c>.
/// </summary>
public static class GetStatementHistoryEndpoint
{
    public const int DefaultLimit = 100;

    [ProducesResponseType(typeof(StatementHistory), 200)]
    [WolverineGet("/statements/{id}/history")]
    public static async Task<IResult> Get(
        string id, string? limit, string? after, IQuerySession session, IOptions<LimitOptions> limits, CancellationToken cancellation)
    {
        var query = new QueryParameters();
        var pageSize = query.Int("limit", limit, Math.Min(DefaultLimit, limits.Value.MaxHistoryLimit), 1, limits.Value.MaxHistoryLimit);
        var afterVersion = query.Long("after", after, min: 0) ?? 0;
        if (!query.IsValid) return query.Problem.ToResult();
        if (!StatementStreams.TryParseId(id, out var statementId)) return StatementStreams.NotFound(id);

        // One event more than the page, to know whether another page follows.
        var events = await session.Events.FetchStreamAsync(
            statementId, version: afterVersion + pageSize + 1, fromVersion: afterVersion + 1, token: cancellation);
        if (events.Count == 0 && (afterVersion == 0 || await session.Events.FetchStreamStateAsync(statementId, cancellation) is null))
            return StatementStreams.NotFound(id);
        var page = events.Take(pageSize).ToArray();
        long? nextAfter = events.Count > pageSize ? page[^1].Version : null;
        return Results.Ok(new StatementHistory(statementId, page.Select(ToHistoryEvent).ToArray(), nextAfter))
            .WithNextLink("after", nextAfter?.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public static HistoryEvent ToHistoryEvent(IEvent e)
    {
        var data = (IStatementEvent)e.Data;
        return new HistoryEvent(
            e.EventTypeName,
            e.Version,
            e.Timestamp,
            data.Actor,
            data.ActorName,
            data.Reason,
            e.Data is StatementCorrected corrected ? CorrectionChanges.Between(corrected.Before, corrected.After) : null,
            e.Data);
    }
}
