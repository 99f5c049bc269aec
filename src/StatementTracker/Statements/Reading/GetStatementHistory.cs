using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Http;
using StatementTracker.Statements.Correcting;
using Wolverine.Http;

namespace StatementTracker.Statements.Reading;

public sealed record StatementHistory(Guid Id, IReadOnlyList<HistoryEvent> Events);

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

/// <summary><c>GET /statements/{id}/history</c>: every event of the statement, in order: who did what, when and why.</summary>
public static class GetStatementHistoryEndpoint
{
    [WolverineGet("/statements/{id}/history")]
    public static async Task<IResult> Get(string id, IQuerySession session, CancellationToken cancellation)
    {
        if (!StatementStreams.TryParseId(id, out var statementId)) return StatementStreams.NotFound(id);

        var events = await session.Events.FetchStreamAsync(statementId, token: cancellation);
        return events.Count == 0
            ? StatementStreams.NotFound(id)
            : Results.Ok(new StatementHistory(statementId, events.Select(ToHistoryEvent).ToArray()));
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
